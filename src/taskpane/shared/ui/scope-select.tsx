// Which text a Word operation works on: the selection (or the paragraph at the cursor), or the whole document.
import type { TextDocumentAccess } from '../../../hosts/host-adapter.js';
import { useMessages } from '../i18n/i18n-context.js';
import { ChoiceSelect } from './choice-select.js';

export type DocumentScope = Parameters<TextDocumentAccess['readParagraphs']>[0];

export function ScopeSelect({ value, onChange, testId }: { value: DocumentScope; onChange: (value: DocumentScope) => void; testId: string }) {
  const messages = useMessages();
  return (
    <ChoiceSelect<DocumentScope>
      label={messages.scope}
      value={value}
      onChange={onChange}
      testId={testId}
      choices={[
        { value: 'selection', label: messages.scopeSelection },
        { value: 'document', label: messages.scopeDocument },
      ]}
    />
  );
}
