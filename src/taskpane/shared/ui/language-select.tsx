import { useMessages } from '../i18n/i18n-context.js';
import { languageName, targetLanguages } from '../i18n/languages.js';
import { ChoiceSelect } from './choice-select.js';

export function LanguageSelect({
  label,
  value,
  onChange,
  uiLanguage,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  uiLanguage: string;
  testId?: string;
}) {
  useMessages();
  const tags = targetLanguages.includes(value) ? targetLanguages : [value, ...targetLanguages];
  return (
    <ChoiceSelect
      label={label}
      value={value}
      choices={tags.map((tag) => ({ value: tag, label: languageName(tag, uiLanguage) }))}
      onChange={onChange}
      {...(testId === undefined ? {} : { testId })}
    />
  );
}
