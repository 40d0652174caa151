// A labelled native select (keyboard-friendly and light) for a small set of choices. It never grows wider
// than the pane: a native select is as wide as its longest option unless told otherwise, so long option
// texts are cut with an ellipsis and the chosen one stays readable in full as the select's title.
import { Field, Select, makeStyles } from '@fluentui/react-components';

export interface Choice<Value extends string> {
  value: Value;
  label: string;
}

export const useFitStyles = makeStyles({
  // Field is a grid whose items would otherwise keep their content's width.
  field: { minWidth: 0, maxWidth: '100%' },
  root: { minWidth: 0, maxWidth: '100%', width: '100%' },
  select: { minWidth: 0, maxWidth: '100%', width: '100%', textOverflow: 'ellipsis', overflow: 'hidden', whiteSpace: 'nowrap' },
});

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
  const styles = useFitStyles();
  const chosen = choices.find((choice) => choice.value === value)?.label;
  return (
    <Field label={label} className={styles.field}>
      <Select
        className={styles.root}
        select={{ className: styles.select, ...(chosen === undefined ? {} : { title: chosen }) }}
        value={value}
        onChange={(_event, data) => onChange(data.value as Value)}
        data-testid={testId}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} title={choice.label}>
            {choice.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}
