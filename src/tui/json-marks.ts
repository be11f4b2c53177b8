/**
 * What a --json line adds to its window result, so the JSON says what the screen says of the window: that
 * it was seen only in part, the audit's mark (under --audit), and anomaly marks once the window's history
 * allows them. Additive fields only: each line is still the WindowResult the pipeline published. Pure.
 */
import { DEFAULT_ANOMALY_RULE, type AnomalyMetric } from '../core/anomaly.js';
import { centsToAmount } from '../core/money.js';
import type { CategoryVerdict } from '../engine/auditor.js';
import { anomaliesAt, isComplete } from './state/anomalies.js';
import { auditMark, shownAudits, type AuditMark } from './state/audit.js';
import type { TuiState } from './state/reducer.js';
import { knownCategories } from './state/view.js';

/** In the line's own units: revenue in dollars, as `total_amount`; orders as a count. */
export interface JsonAnomaly {
  metric: AnomalyMetric;
  value: number;
  median: number;
  /** (value − median) / median: +2.1 is +210 %. */
  change: number;
  /** How many robust deviations away (signed). */
  score: number;
}

export interface LineMarks {
  /** emart-tui saw the window only in part (it joined mid-window, or Kafka lost data): PARTIAL on screen. */
  seen_in_part?: true;
  /** Once the window is complete and has enough complete windows before it: its anomalies, [] for none. */
  anomalies?: JsonAnomaly[];
  /** Under --audit: the caption's mark, and the audit's verdict on this category when it has one. */
  audit?: { verdict: AuditMark['kind']; text: string; category?: CategoryVerdict };
}

/** Under --audit, a window waits this long past its end for a verdict before it is written as pending. */
export const AUDIT_WAIT_MS = 60_000;

/** Whether the window at `index` can be written: its figures final (or a newer window begun) and, under --audit, judged. */
export function isWritable(state: TuiState, index: number): boolean {
  const entry = state.windows[index]!;
  if (!entry.settled && index === state.windows.length - 1) return false;
  const mark = auditMark(shownAudits(state.audit), entry, knownCategories(state.windows));
  return mark?.kind !== 'pending' || state.nowMs >= entry.endMs + AUDIT_WAIT_MS;
}

export function lineMarks(state: TuiState, index: number, categoryId: string): LineMarks {
  const entry = state.windows[index]!;
  const marks: LineMarks = {};
  if (entry.seenInPart) marks.seen_in_part = true;
  if (judgeable(state, index)) marks.anomalies = (anomaliesAt(state.windows, index, [categoryId]).get(categoryId) ?? []).map(inLineUnits);
  const mark = auditMark(shownAudits(state.audit), entry, knownCategories(state.windows));
  if (mark) {
    const category = state.audit.verdicts.byStart.get(entry.startMs)?.categories.find((c) => c.category_id === categoryId)?.verdict;
    marks.audit = { verdict: mark.kind, text: mark.text, ...(category ? { category } : {}) };
  }
  return marks;
}

/** As the anomaly rule has it (state/anomalies.ts): a complete window with enough complete ones before it. */
function judgeable(state: TuiState, index: number): boolean {
  if (!isComplete(state.windows[index]!)) return false;
  let history = 0;
  for (let i = index - 1; i >= 0 && history < DEFAULT_ANOMALY_RULE.minHistory; i--) if (isComplete(state.windows[i]!)) history += 1;
  return history >= DEFAULT_ANOMALY_RULE.minHistory;
}

function inLineUnits(anomaly: { metric: AnomalyMetric; value: number; median: number; change: number; score: number }): JsonAnomaly {
  const unit = anomaly.metric === 'revenue' ? centsToAmount : (n: number) => n;
  return { metric: anomaly.metric, value: unit(anomaly.value), median: unit(anomaly.median), change: anomaly.change, score: anomaly.score };
}
