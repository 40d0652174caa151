// The formulas' state in the pane: how many cells wait, the confirmation a large run waits for, and
// Stop. The browser preview shows it above its sheet; in Excel the pane finds the functions' control in
// the shared runtime with findFormulaControl() and shows the same.
import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useMessages } from '../taskpane/shared/i18n/i18n-context.js';
import { formatCount } from '../taskpane/shared/i18n/messages.js';
import type { FormulaActivity } from './formula-batcher.js';
import type { FormulaControl } from './formula-control.js';

const useStyles = makeStyles({
  bar: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap', minHeight: '32px' },
});

export function FormulaStatus({ control }: { control: FormulaControl }) {
  const messages = useMessages();
  const styles = useStyles();
  const [activity, setActivity] = useState<FormulaActivity>(control.activity());
  useEffect(() => control.subscribe(() => setActivity(control.activity())), [control]);
  const working = activity.waitingCells > 0 || activity.requestsInFlight > 0;
  return (
    <div className={styles.bar} data-testid="formula-status" role="status">
      <Text weight="semibold">{messages.formulasTitle}</Text>
      {working && <Text>{formatCount(messages, messages.formulasPending, activity.waitingCells)}</Text>}
      {activity.awaitingConfirmation > 0 && (
        <>
          <Text>{formatCount(messages, messages.formulasAwaiting, activity.awaitingConfirmation)}</Text>
          <Button appearance="primary" size="small" onClick={() => control.confirm()}>
            {formatCount(messages, messages.formulasConfirm, activity.awaitingConfirmation)}
          </Button>
        </>
      )}
      {working && (
        <Button size="small" onClick={() => control.stop()}>
          {messages.formulasStop}
        </Button>
      )}
    </div>
  );
}
