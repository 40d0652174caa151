// Know before you run: before a bulk classify or translate the pane asks the BFF for an estimate (a dry
// run of the same planner that will do the work: rows to send after duplicates and cached rows,
// requests, tokens, time at the provider's pace, cost when prices are configured) and shows it. Above
// the user's threshold (or the administrator's default from client-config) the run waits for Start;
// Cancel sends nothing. Below it the run starts at once and the estimate stays in view.
import { Button, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EstimateRequest, RunEstimate } from '../../../contract/operations/estimate.js';
import type { SheetAccess } from '../../../hosts/host-adapter.js';
import { INPUT_SEPARATOR, isFilledCell } from '../../../workflows/index.js';
import type { ApiClient } from '../api/api-client.js';
import { adminConfirmThresholds, type ConfirmThresholds } from '../api/estimate-client.js';
import { useMessages } from '../i18n/i18n-context.js';
import { format, formatCount, type Messages } from '../i18n/messages.js';
import { useSettings } from '../settings/settings-context.js';

export type EstimateUnit = 'rows' | 'paragraphs';

/** One line: "7,000 of 10,000 rows to send · 32 requests · 1,234,567 tokens · about 3 minutes · about $0.45". */
export function describeEstimate(messages: Messages, estimate: RunEstimate, unit: EstimateUnit): string {
  const parts = [
    formatCount(messages, unit === 'rows' ? messages.estimateRows : messages.estimateParagraphs, estimate.items, {
      send: new Intl.NumberFormat(messages.locale).format(estimate.itemsToSend),
    }),
    formatCount(messages, messages.estimateRequests, estimate.requests),
    formatCount(messages, messages.estimateTokens, estimate.promptTokens + estimate.completionTokens),
    estimate.seconds < 90
      ? formatCount(messages, messages.estimateSeconds, Math.max(estimate.requests === 0 ? 0 : 1, Math.round(estimate.seconds)))
      : formatCount(messages, messages.estimateMinutes, Math.round(estimate.seconds / 60)),
  ];
  if (estimate.cost !== undefined) {
    const amount = new Intl.NumberFormat(messages.locale, {
      style: 'currency',
      currency: estimate.cost.currency,
      // Small runs cost fractions of a cent: show them rather than "0.00".
      maximumSignificantDigits: estimate.cost.amount < 1 ? 2 : 21,
      ...(estimate.cost.amount < 1 ? {} : { maximumFractionDigits: 2 }),
    }).format(estimate.cost.amount);
    parts.push(format(messages.estimateCost, { amount }));
  }
  return parts.join(' · ');
}

/**
 * The texts a sheet run would send, read in one go as the workflow reads them: the input columns
 * joined, rows whose output cell is filled left out unless overwriting (failure markers are retried).
 */
export async function sheetRunTexts(
  sheet: SheetAccess,
  options: { startRow: number; rowCount: number; inputColumns: readonly number[]; outputColumn: number; overwrite: boolean },
): Promise<string[]> {
  if (options.rowCount <= 0 || options.inputColumns.length === 0) return [];
  const rows = await sheet.readRows(options.startRow, options.rowCount, [...options.inputColumns, options.outputColumn]);
  const texts: string[] = [];
  for (const row of rows) {
    const output = row[options.inputColumns.length] ?? '';
    if (!options.overwrite && isFilledCell(output)) continue;
    texts.push(row.slice(0, options.inputColumns.length).join(INPUT_SEPARATOR));
  }
  return texts;
}

type EstimatePhase =
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'confirm'; estimate: RunEstimate; unit: EstimateUnit }
  | { phase: 'shown'; estimate: RunEstimate; unit: EstimateUnit };

export interface RunEstimateGate {
  /**
   * Estimates the run and, above the threshold, waits for the user: true to go on, false when they
   * cancelled (or stopped). An estimate that cannot be had (an older server) does not hold the run up.
   */
  check(request: EstimateRequest, unit: EstimateUnit, signal: AbortSignal): Promise<boolean>;
  /** The estimate, the confirmation and the threshold setting, for the panel to place above its status. */
  view: ReactNode;
}

export function useRunEstimate(api: ApiClient): RunEstimateGate {
  const messages = useMessages();
  const { settings, updateSettings } = useSettings();
  const [state, setState] = useState<EstimatePhase>({ phase: 'idle' });
  const [admin, setAdmin] = useState<ConfirmThresholds | undefined>(undefined);
  const decide = useRef<((go: boolean) => void) | undefined>(undefined);
  const threshold = settings.askBeforeRowsOver ?? admin?.rows;
  const costThreshold = settings.askBeforeCostOver ?? admin?.cost;

  useEffect(() => {
    let current = true;
    void adminConfirmThresholds().then((thresholds) => {
      if (current) setAdmin(thresholds);
    });
    return () => {
      current = false;
    };
  }, []);

  const check = useCallback(
    async (request: EstimateRequest, unit: EstimateUnit, signal: AbortSignal): Promise<boolean> => {
      if (api.estimate === undefined) return true;
      setState({ phase: 'checking' });
      let estimate: RunEstimate;
      try {
        estimate = (await api.estimate(request, { signal })).estimate;
      } catch (error) {
        setState({ phase: 'idle' });
        if (signal.aborted) return false;
        void error;
        return true;
      }
      const fallback = await adminConfirmThresholds();
      const rowLimit = threshold ?? fallback.rows;
      const costLimit = costThreshold ?? fallback.cost;
      const overCost = costLimit !== undefined && estimate.cost !== undefined && estimate.cost.amount > costLimit;
      if (estimate.items <= rowLimit && !overCost) {
        setState({ phase: 'shown', estimate, unit });
        return true;
      }
      setState({ phase: 'confirm', estimate, unit });
      const go = await new Promise<boolean>((resolve) => {
        decide.current = resolve;
        signal.addEventListener('abort', () => resolve(false), { once: true });
      });
      decide.current = undefined;
      setState(go ? { phase: 'shown', estimate, unit } : { phase: 'idle' });
      return go;
    },
    [api, threshold, costThreshold],
  );

  const thresholdField = (
    <>
      <Field label={messages.estimateAskAbove}>
        <Input
          type="number"
          min={0}
          value={threshold === undefined ? '' : String(threshold)}
          onChange={(_event, data) => {
            const rows = Number.parseInt(data.value, 10);
            if (Number.isInteger(rows) && rows >= 0) updateSettings({ askBeforeRowsOver: rows });
          }}
          data-testid="estimate-threshold"
        />
      </Field>
      <Field label={messages.estimateAskAboveCost}>
        <Input
          type="number"
          min={0}
          step="any"
          value={costThreshold === undefined ? '' : String(costThreshold)}
          onChange={(_event, data) => {
            const amount = Number.parseFloat(data.value);
            if (Number.isFinite(amount) && amount >= 0) updateSettings({ askBeforeCostOver: amount });
          }}
          data-testid="estimate-cost-threshold"
        />
      </Field>
    </>
  );

  let view: ReactNode = thresholdField;
  if (state.phase === 'checking') {
    view = (
      <>
        <Text data-testid="run-estimate">{messages.estimateChecking}</Text>
        {thresholdField}
      </>
    );
  } else if (state.phase === 'confirm') {
    view = (
      <MessageBar intent="warning" layout="multiline" data-testid="run-estimate-confirm">
        <MessageBarBody>
          <MessageBarTitle>{messages.estimateConfirm}</MessageBarTitle>
          <span data-testid="run-estimate">{describeEstimate(messages, state.estimate, state.unit)}</span>
        </MessageBarBody>
        <MessageBarActions>
          <Button appearance="primary" onClick={() => decide.current?.(true)}>
            {messages.estimateStart}
          </Button>
          <Button onClick={() => decide.current?.(false)}>{messages.estimateCancel}</Button>
        </MessageBarActions>
      </MessageBar>
    );
  } else if (state.phase === 'shown') {
    view = (
      <>
        <Text data-testid="run-estimate">
          {messages.estimateTitle}: {describeEstimate(messages, state.estimate, state.unit)}
        </Text>
        {thresholdField}
      </>
    );
  }
  return { check, view };
}
