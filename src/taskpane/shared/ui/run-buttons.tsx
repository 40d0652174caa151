import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useMessages } from '../i18n/i18n-context.js';

const useStyles = makeStyles({
  row: { display: 'flex', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

export function RunButtons({
  label,
  running,
  onRun,
  onStop,
  disabled = false,
}: {
  label: string;
  running: boolean;
  onRun: () => void;
  onStop: () => void;
  disabled?: boolean;
}) {
  const messages = useMessages();
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Button appearance="primary" onClick={onRun} disabled={running || disabled}>
        {label}
      </Button>
      <Button onClick={onStop} disabled={!running}>
        {messages.stop}
      </Button>
    </div>
  );
}
