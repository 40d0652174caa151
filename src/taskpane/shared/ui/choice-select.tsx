// A labelled native select (keyboard-friendly and light) for a small set of choices.
import { Field, Select } from '@fluentui/react-components';

export interface Choice<Value extends string> {
  value: Value;
  label: string;
}

export function ChoiceSelect<Value extends string>({
  label,
  value,
  choices,
  onChange,
  testId,
}: {
  label: string;
  value: Value;
  choices: readonly Choice<Value>[];
  onChange: (value: Value) => void;
  testId?: string;
}) {
  return (
    <Field label={label}>
      <Select value={value} onChange={(_event, data) => onChange(data.value as Value)} data-testid={testId}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}
