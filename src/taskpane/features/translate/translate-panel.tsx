// Translation of Word paragraphs (placed after, as tracked changes or as comments), Excel cells (into
// the output column the user picks: translate-sheet-cells.tsx), an Outlook message (shown in the pane) or
// an Outlook draft (inserted).
// Translations that arrived before Stop are still written: a stopped run loses nothing finished.
import { Text } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TranslationPlacement } from '../../../hosts/host-adapter.js';
import { translateDocumentParagraphs } from './translate-document-paragraphs.js';
import { SheetTranslateOptions, initialSheetTranslateChoice, translateSelectedSheetCells, type SheetTranslateChoice } from './translate-sheet-cells.js';
import type { ApiClient } from '../../shared/api/api-client.js';
import { glossaryRequestFields, type Glossary } from '../../shared/api/translate-glossary.js';
import { GlossaryEditor } from './glossary-editor.js';
import { guessTextLanguage, otherLanguage } from './guess-text-language.js';
import { languageName } from '../../shared/i18n/languages.js';
import { format, formatNumber } from '../../shared/i18n/messages.js';
import type { FeatureProps } from '../../shared/feature-props.js';
import { useMessages } from '../../shared/i18n/i18n-context.js';
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
import { useRunEstimate } from '../../shared/ui/run-estimate.js';

/** A message's own words: the text above the quoted thread (a "-----Original Message-----" line, "> " quotes or a "From:" header). */
function ownWords(body: string): string {
  const quoted = /^(?:-{2,}.*|>.*|(?:From|Von): .*)$/m.exec(body);
  return quoted === null ? body : body.slice(0, quoted.index);
}

/** Translates `texts`, handing each translation to `onItem` as it arrives; stops with the signal. */
async function translateStreaming(
  api: ApiClient,
  texts: string[],
  targetLanguage: string,
  signal: AbortSignal,
  onItem: (index: number, text: string) => void,
  onProgress?: (done: number, total: number) => void,
  glossary?: Glossary,
): Promise<string[]> {
  const response = await api.run(
    'translate',
    { texts, targetLanguage, ...glossaryRequestFields(glossary) },
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

export default function TranslatePanel({ adapter, api }: FeatureProps) {
  const messages = useMessages();
  const styles = usePanelStyles();
  const { settings, updateSettings } = useSettings();
  const operation = useOperationRun();
  const estimateGate = useRunEstimate(api);
  const [scope, setScope] = useState<DocumentScope>('selection');
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>(undefined);
  const [result, setResult] = useState('');
  const [stoppedNote, setStoppedNote] = useState<string | undefined>(undefined);
  const [sheetChoice, setSheetChoice] = useState<SheetTranslateChoice>(initialSheetTranslateChoice);
  const { text, sheet, mail } = adapter;
  const mailRead = text === undefined && sheet === undefined && mail?.mode === 'read';
  // An Outlook reader translates into their own language; writers pick the target.
  const languageKey = mailRead ? 'replyLanguage' : 'targetLanguage';
  // The language the text to translate seems to be in: when it is the chosen target, the other language
  // is proposed (a German user's German text goes into English), until the user picks a target here.
  const [textLanguage, setTextLanguage] = useState<string | undefined>(undefined);
  const [targetChosen, setTargetChosen] = useState(false);
  const storedTarget = settings[languageKey];
  const switched = !targetChosen && textLanguage !== undefined && textLanguage === storedTarget.split('-')[0]?.toLowerCase();
  const targetLanguage = switched ? otherLanguage(textLanguage, adapter.displayLanguage) : storedTarget;
  const running = useRef(false);
  running.current = operation.running;
  const placements = text?.translationPlacements ?? [];
  const placement = placements.includes(settings.placement) ? settings.placement : (placements[0] ?? 'after');
  const onProgress = (done: number, total: number) => setProgress({ done, total });

  /** A sample of the text a run would translate, read cheaply; '' when there is none. */
  const guessLanguage = useCallback(async () => {
    if (running.current) return;
    try {
      let sample = '';
      if (text !== undefined) {
        sample = (await text.readParagraphs(scope)).map((block) => block.text).join('\n');
      } else if (sheet !== undefined) {
        const selection = await sheet.readSelection();
        sample = (await sheet.readColumn(selection.firstRow, Math.min(selection.rowCount, 20), selection.firstColumn)).join('\n');
      } else if (mail !== undefined) {
        const selected = mail.mode === 'compose' ? await mail.readSelectedText() : '';
        sample = selected.trim() !== '' ? selected : ownWords((await mail.readMessage()).body);
      }
      setTextLanguage(guessTextLanguage(sample.slice(0, 4000)));
    } catch {
      // Only a default: the run reads the text again and reports what is wrong.
    }
  }, [text, sheet, mail, scope]);

  useEffect(() => {
    void guessLanguage();
  }, [guessLanguage]);

  const translate = () =>
    operation.run(async (signal) => {
      setProgress(undefined);
      setResult('');
      setStoppedNote(undefined);
      if (text !== undefined) {
        const { status } = await translateDocumentParagraphs({
          text,
          api,
          scope,
          targetLanguage,
          placement,
          glossary: settings.glossary,
          signal,
          messages,
          onProgress,
          onStopped: setStoppedNote,
          // The whole document is the bulk run: its estimate first, confirmed above the threshold.
          confirm: scope === 'document' ? (request) => estimateGate.check({ operation: 'translate', request }, 'paragraphs', signal) : undefined,
        });
        return status;
      }
      if (sheet !== undefined)
        return translateSelectedSheetCells(
          sheet,
          api,
          targetLanguage,
          sheetChoice,
          signal,
          messages,
          onProgress,
          setStoppedNote,
          settings.glossary,
          estimateGate,
        );
      if (mail === undefined) return undefined;
      // A message's translation is shown in the pane and inserted only at the end: Stop changes nothing.
      setStoppedNote(messages.stoppedShownBelow);
      if (mail.mode === 'read') {
        const paragraphs = mailAsText(await mail.readMessage()).split(/\n{2,}/);
        const translated: string[] = paragraphs.map(() => '');
        const show = () => setResult(translated.filter(Boolean).join('\n\n'));
        const translations = await translateStreaming(
          api,
          paragraphs,
          targetLanguage,
          signal,
          (index, piece) => {
            translated[index] = piece;
            show();
          },
          undefined,
          settings.glossary,
        );
        setResult(translations.join('\n\n'));
        return messages.done;
      }
      const selected = await mail.readSelectedText();
      const input = selected.trim() !== '' ? selected : (await mail.readMessage()).body;
      if (input.trim() === '') throw new Error(messages.nothingToUseInMessage);
      const [translation = ''] = await translateStreaming(
        api,
        [input],
        targetLanguage,
        signal,
        (_index, piece) => setResult(piece),
        undefined,
        settings.glossary,
      );
      setResult(translation);
      const insertion = await mail.insertText(translation);
      return insertion === 'replaced-selection' ? messages.translationReplacedSelection : messages.translationInsertedInMessage;
    });

  return (
    // Coming back to the pane after selecting other text: guess again, before the user looks at the target.
    <div className={styles.panel} onPointerEnter={() => void guessLanguage()}>
      {sheet !== undefined && <SheetTranslateOptions sheet={sheet} value={sheetChoice} onChange={setSheetChoice} disabled={operation.running} />}
      {mailRead && <Text className={styles.hint}>{messages.translateMessageHint}</Text>}
      {text === undefined && mail?.mode === 'compose' && <Text className={styles.hint}>{messages.composeOnlyHint}</Text>}
      <LanguageSelect
        label={messages.targetLanguage}
        value={targetLanguage}
        onChange={(value) => {
          setTargetChosen(true);
          updateSettings({ [languageKey]: value });
        }}
        uiLanguage={adapter.displayLanguage}
        testId="target-language"
      />
      {switched && (
        <Text className={styles.hint} data-testid="target-language-switched">
          {format(messages.targetLanguageSwitched, {
            language: languageName(textLanguage, adapter.displayLanguage),
            target: languageName(targetLanguage, adapter.displayLanguage),
          })}
        </Text>
      )}
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
          {!placements.includes('comment') && <Text className={styles.hint}>{messages.placementsLimited}</Text>}
        </>
      )}
      {(sheet !== undefined || (text !== undefined && scope === 'document')) && estimateGate.view}
      <RunButtons label={messages.translateButton} running={operation.running} onRun={() => void translate()} onStop={operation.stop} />
      <RunStatusView
        status={operation.status}
        progress={
          progress === undefined ? undefined : { ...progress, text: `${formatNumber(messages, progress.done)} / ${formatNumber(messages, progress.total)}` }
        }
        stoppedNote={stoppedNote}
      />
      <ResultText text={result} busy={operation.running} />
      <GlossaryEditor api={api} disabled={operation.running} />
    </div>
  );
}
