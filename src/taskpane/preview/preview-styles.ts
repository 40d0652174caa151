import { makeStyles, tokens } from '@fluentui/react-components';

export const usePreviewStyles = makeStyles({
  document: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0,
    // A wide table or grid scrolls inside the document instead of widening the page on a narrow window.
    overflowX: 'auto',
  },
  page: {
    width: '100%',
    minHeight: '320px',
    boxSizing: 'border-box',
    fontFamily: 'Calibri, "Segoe UI", sans-serif',
    fontSize: '15px',
    lineHeight: '1.5',
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    resize: 'vertical',
    ':focus-visible': { outline: `2px solid ${tokens.colorBrandStroke1}`, outlineOffset: '1px' },
  },
  row: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  margin: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  inserted: { color: tokens.colorPaletteGreenForeground1, textDecoration: 'underline' },
  deleted: { color: tokens.colorPaletteRedForeground1, textDecoration: 'line-through' },
});
