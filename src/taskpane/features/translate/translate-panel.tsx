// Translation of Word paragraphs (placed after, as tracked changes or as comments), Excel cells (into
// the column next to them), an Outlook message (shown in the pane) or an Outlook draft (inserted).
// Translations that arrived before Stop are still written: a stopped run loses nothing finished.
import { Text } from '@fluentui/react-components';
import { useState } from 'react';
import { columnLetters } from '../../../hosts/a1-address.js';
import type { SheetAccess, TextDocumentAccess, TranslationPlacement } from '../../../hosts/host-adapter.js';
import { translateSelectedCells } from '../../../workflows/index.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import { streamedTranslate } from '../../shared/api/streamed-cell-operations.js';
import type { FeatureProps } from '../../shared/feature-props.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
import { format, type Messages } from '../../shared/i18n/messages.js';
import { mailAsText } from '../../shared/mail-text.js';
import { useSettings } from '../../shared/settings/settings-context.js';
import { ChoiceSelect } from '../../shared/ui/choice-select.js';
import { LanguageSelect } from '../../shared/ui/language-select.js';
import { usePanelStyles } from '../../shared/ui/panel-layout.js';
import { ResultText } from '../../shared/ui/result-text.js';
import { RunButtons } from '../../shared/ui/run-buttons.js';
import { ScopeSelect, type DocumentScope } from '../../shared/ui/scope-select.js';
import { RunStatusView } from '../../shared/ui/run-status.js';
import { useOperationRun } from '../../shared/ui/use-operation-run.js';

/** Translates `texts`, handing each translation to `onItem` as it arrives; stops with the signal. */
async function translateStreaming(
  api: ApiClient,
  texts: string[],
  targetLanguage: string,
  signal: AbortSignal,
  onItem: (index: number, text: string) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> {
  const response = await api.run(
    'translate',
    { texts, targetLanguage },
    {
      signal,
      onItem: (event) => {
        if (event.text !== undefined) onItem(event.index, event.text);
      },
      onProgress: (event) => onProgress?.(event.done, event.total),
    },
  );
  return response.translations;
}

async function translateParagraphs(
  text: TextDocumentAccess,
  api: ApiClient,
  scope: DocumentScope,
  targetLanguage: string,
  placement: TranslationPlacement,
  signal: AbortSignal,
  messages: Messages,
  onProgress: (done: number, total: number) => void,
) {
  const blocks = (await text.readParagraphs(scope)).filter((block) => block.text.trim() !== '');
  if (blocks.length === 0) throw new Error(messages.nothingToUse);
  const received = new Map<number, string>();
  try {
    const translations = await translateStreaming(
      api,
      blocks.map((block) => block.text),
      targetLanguage,
      signal,
      (index, translated) => received.set(index, translated),
      onProgress,
    );
    await text.writeTranslations(blocks, translations, placement);
    return format(messages.translatedParagraphs, { count: blocks.length });
  } catch (error) {
    if (signal.aborted && received.size > 0) {
      const done = [...received.keys()].sort((a, b) => a - b);
      await text.writeTranslations(
        done.map((index) => blocks[index]).filter((block) => block !== undefined),
        done.map((index) => received.get(index) ?? ''),
        placement,
      );
    }
    throw error;
  }
}

/** Selected cells (one column) into the first empty column to the right, through the Excel workflow. */
async function translateSelectedSheetCells(
  sheet: SheetAccess,
  api: ApiClient,
  targetLanguage: string,
  signal: AbortSignal,
  messages: Messages,
  onProgress: (done: number, total: number) => void,
) {
  const selection = await sheet.readSelection();
  const outputColumn = selection.firstEmptyColumnToTheRight;
  const translate = streamedTranslate(api, targetLanguage);
  const result = await translateSelectedCells(sheet, {
    outputColumn,
    overwrite: false,
    translate,
    signal,
    onProgress: (progress) => onProgress(progress.done, progress.total),
  });
  if (result.stopped) throw new DOMException('Stopped', 'AbortError');
  return format(messages.translatedCells, { count: result.translated, column: columnLetters(outputColumn) });
}

export default function TranslatePanel({ adapter, api }: FeatureProps) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  const [scope, setScope] = useState<DocumentScope>('selection');
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>(undefined);
  const [result, setResult] = useState('');
  const { text, sheet, mail } = adapter;
  const mailRead = text === undefined && sheet === undefined && mail?.mode === 'read';
  // An Outlook reader translates into their own language; writers pick the target.
  const languageKey = mailRead ? 'replyLanguage' : 'targetLanguage';
  const targetLanguage = settings[languageKey];
  const placements = text?.translationPlacements ?? [];
  const placement = placements.includes(settings.placement) ? settings.placement : (placements[0] ?? 'after');
  const onProgress = (done: number, total: number) => setProgress({ done, total });

  const translate = () =>
    operation.run(async (signal) => {
      setProgress(undefined);
      setResult('');
      if (text !== undefined) return translateParagraphs(text, api, scope, targetLanguage, placement, signal, messages, onProgress);
      if (sheet !== undefined) return translateSelectedSheetCells(sheet, api, targetLanguage, signal, messages, onProgress);
      if (mail === undefined) return undefined;
      if (mail.mode === 'read') {
        const paragraphs = mailAsText(await mail.readMessage()).split(/\n{2,}/);
        const translated: string[] = paragraphs.map(() => '');
        const show = () => setResult(translated.filter(Boolean).join('\n\n'));
        const translations = await translateStreaming(api, paragraphs, targetLanguage, signal, (index, piece) => {
          translated[index] = piece;
          show();
        });
        setResult(translations.join('\n\n'));
        return messages.done;
      }
      const selected = await mail.readSelectedText();
      const input = selected.trim() !== '' ? selected : (await mail.readMessage()).body;
      if (input.trim() === '') throw new Error(messages.nothingToUse);
      const [translation = ''] = await translateStreaming(api, [input], targetLanguage, signal, (_index, piece) => setResult(piece));
      setResult(translation);
      await mail.insertText(translation);
      return messages.translateInserted;
    });

  return (
    <div className={styles.panel}>
      {sheet !== undefined && <Text className={styles.hint}>{messages.translateCellsHint}</Text>}
      {mailRead && <Text className={styles.hint}>{messages.translateMessageHint}</Text>}
      {text === undefined && mail?.mode === 'compose' && <Text className={styles.hint}>{messages.composeOnlyHint}</Text>}
      <LanguageSelect
        label={messages.targetLanguage}
        value={targetLanguage}
        onChange={(value) => updateSettings({ [languageKey]: value })}
        uiLanguage={adapter.displayLanguage}
        testId="target-language"
      />
      {text !== undefined && (
        <>
          <ScopeSelect value={scope} onChange={setScope} testId="translate-scope" />
          <ChoiceSelect<TranslationPlacement>
            label={messages.placement}
            value={placement}
            onChange={(value) => updateSettings({ placement: value })}
            testId="translate-placement"
            choices={placements.map((value) => ({
              value,
              label: { after: messages.placementAfter, 'replace-tracked': messages.placementReplaceTracked, comment: messages.placementComment }[value],
            }))}
          />
        </>
      )}
      <RunButtons label={messages.translateButton} running={operation.running} onRun={() => void translate()} onStop={operation.stop} />
      <RunStatusView status={operation.status} progress={progress === undefined ? undefined : { ...progress, text: `${progress.done} / ${progress.total}` }} />
      <ResultText text={result} busy={operation.running} />
    </div>
  );
}
