/**
 * The pipeline's health: a view in place of the results (key `h`) and a one-line summary under the
 * header when the terminal has room. Figures come from `summarizeHealth` (src/core/health-summary.ts);
 * what the mode cannot know reads "—" with a note saying why, never 0. The lines are data first
 * (`healthLines`), laid out for the lines there are, so the view never draws more than it has.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { RATE_SPANS_MS } from '../../core/health.js';
import type { HealthSummary, Origin } from '../../core/health-summary.js';
import type { AuditSummary } from '../state/audit.js';
import { formatClock, formatCount, formatRate, formatSpan } from '../format.js';
import { sanitize } from '../text.js';
import { useTheme, type Tone } from '../theme.js';
import { StyledText } from './segment-line.js';

export interface HealthSegment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export type HealthViewLine = readonly HealthSegment[];

const UNKNOWN = '—';
const LABEL_WIDTH = 12;

const known = (value: number | undefined, format: (n: number) => string): string => (value === undefined ? UNKNOWN : format(value));
/** Results come a window's worth at a time, a few per minute: per minute reads better than 0.1/s. */
const perMinute = (perSecond: number): string => `${formatCount(Math.round(perSecond * 60))}/min`;

const ORIGIN: Record<Origin, string> = { pipeline: 'its report', engine: 'the engine', kafka: 'Kafka offsets' };
/** Rates from commits and results average over a span (src/core/health.ts), so they trail a change. */
const SPAN = { consumed: `${RATE_SPANS_MS.committed / 1000}s avg`, results: `${RATE_SPANS_MS.results / 60_000}m avg` };

function figure(label: string, value: string, tone?: Tone): HealthSegment[] {
  return [{ text: `${label} `, tone: 'muted' }, { text: value, bold: value !== UNKNOWN, ...(value === UNKNOWN ? { tone: 'muted' as const } : tone ? { tone } : {}) }];
}

const SEP: HealthSegment = { text: '  ' };

function label(text: string): HealthSegment {
  return { text: text.padEnd(LABEL_WIDTH), tone: 'accent', bold: true };
}

function pipelineLine(s: HealthSummary): HealthViewLine {
  if (s.pipeline) {
    const { name, state, from, silentForMs, stale } = s.pipeline;
    const where = from === 'engine' ? 'inside emart-tui' : `on ${s.pipelineStatusTopic ?? 'its status topic'}`;
    return [
      label('PIPELINE'),
      { text: sanitize(name), bold: true },
      { text: ' · ' },
      // A pipeline whose last word was "stopping" has stopped; any other silent one may be dead or cut off.
      { text: stale ? (state === 'stopping' ? 'stopped' : `${state}?`) : state, tone: stale || state !== 'running' ? 'warn' : 'good', bold: true },
      { text: stale ? ` · silent for ${formatSpan(silentForMs)} (last report ${where})` : from === 'engine' ? ` · ${where}` : ` · reported ${formatSpan(silentForMs)} ago ${where}`, tone: stale ? 'warn' : 'muted' },
    ];
  }
  const topic = s.pipelineStatusTopic ?? 'the status topic';
  return [label('PIPELINE'), { text: `no report on ${topic} `, tone: 'muted' }, { text: '(Numaflow publishes none; emart-pipeline does)', tone: 'muted' }];
}

function ordersLine(s: HealthSummary): HealthViewLine {
  return [
    label('ORDERS/S'),
    ...figure('produced', known(s.produced, formatRate)),
    SEP,
    ...figure('consumed', known(s.consumed, formatRate)),
    ...(s.consumedFrom ? [{ text: ` (${ORIGIN[s.consumedFrom]}${s.consumedFrom === 'kafka' ? `, ${SPAN.consumed}` : ''})`, tone: 'muted' as const }] : []),
    SEP,
    ...figure(s.backlogFrom === 'uncommitted' ? 'uncommitted' : 'backlog', known(s.backlog, formatCount), (s.backlog ?? 0) > 0 ? 'warn' : undefined),
  ];
}

function resultsLine(s: HealthSummary): HealthViewLine {
  return [
    label('RESULTS'),
    ...figure('published', known(s.results, perMinute)),
    ...(s.resultsFrom ? [{ text: ` (${ORIGIN[s.resultsFrom]}${s.resultsFrom === 'kafka' ? `, ${SPAN.results}` : ''})`, tone: 'muted' as const }] : []),
    SEP,
    ...figure('open windows', known(s.openWindows, formatCount)),
    SEP,
    ...figure('unacknowledged', known(s.unacknowledgedWindows, formatCount), (s.unacknowledgedWindows ?? 0) > 0 ? 'warn' : undefined),
    SEP,
    ...figure('send retries', known(s.sendRetries, formatCount), (s.sendRetries ?? 0) > 0 ? 'warn' : undefined),
  ];
}

function watermarkLine(s: HealthSummary): HealthViewLine {
  if (s.watermarkMs === undefined || s.watermarkLagMs === undefined) {
    return [label('WATERMARK'), { text: UNKNOWN, tone: 'muted' }, ...(s.pipeline ? [{ text: '  none yet: no order read', tone: 'muted' as const }] : [])];
  }
  const lag = s.watermarkLagMs;
  return [
    label('WATERMARK'),
    { text: formatClock(s.watermarkMs), bold: true },
    { text: '  ' },
    { text: `${formatSpan(lag)} ${lag >= 0 ? 'behind' : 'ahead of'} the clock`, tone: lag > 60_000 ? 'warn' : 'muted' },
  ];
}

function droppedLine(s: HealthSummary): HealthViewLine {
  return [
    label('LEFT OUT'),
    ...figure('late', known(s.lateOrders, formatCount), (s.lateOrders ?? 0) > 0 ? 'warn' : undefined),
    SEP,
    ...figure('invalid', known(s.invalidOrders, formatCount), (s.invalidOrders ?? 0) > 0 ? 'warn' : undefined),
    SEP,
    ...figure('replayed', known(s.replayedOrders, formatCount)),
    ...(s.lateOrders !== undefined ? [{ text: '  since the pipeline started', tone: 'muted' as const }] : []),
  ];
}

function errorLine(s: HealthSummary, nowMs: number): HealthViewLine {
  if (!s.lastError) return [label('LAST ERROR'), { text: s.pipeline || s.offsets ? 'none' : UNKNOWN, tone: 'muted' }];
  const age = s.lastError.atMs === undefined ? '' : `${formatSpan(Math.max(0, nowMs - s.lastError.atMs))} ago: `;
  return [label('LAST ERROR'), { text: age, tone: 'muted' }, { text: sanitize(s.lastError.message), tone: 'bad' }];
}

function offsetsTitle(s: HealthSummary): HealthViewLine {
  if (s.mode === 'embedded') return [{ text: 'No Kafka in embedded mode: orders reach the engine in memory, so nothing waits in a topic.', tone: 'muted' }];
  if (!s.offsets) {
    return s.kafkaError
      ? [{ text: 'Offsets: ', tone: 'muted' }, { text: sanitize(s.kafkaError.message), tone: 'bad' }]
      : [{ text: "Offsets: reading Kafka's admin API…", tone: 'muted' }];
  }
  const { ordersTopic, group, ageMs, stale } = s.offsets;
  return [
    { text: sanitize(ordersTopic), bold: true },
    { text: ' · group ', tone: 'muted' },
    { text: sanitize(group), bold: true },
    { text: ` · offsets read ${formatSpan(ageMs)} ago`, tone: stale ? 'warn' : 'muted' },
    ...(s.kafkaError && stale ? [{ text: ` · ${sanitize(s.kafkaError.message)}`, tone: 'bad' as const }] : []),
  ];
}

const PARTITION_COLUMNS = [
  ['PARTITION', 9],
  ['END', 12],
  ['COMMITTED', 12],
  ['UNCOMMITTED', 12],
  ['UNREAD', 9],
] as const;

function row(cells: readonly string[], tone?: Tone): HealthViewLine {
  const text = cells.map((cell, i) => cell.padStart(PARTITION_COLUMNS[i]![1])).join('  ');
  return [{ text, ...(tone ? { tone } : {}) }];
}

function partitionLines(s: HealthSummary, room: number): HealthViewLine[] {
  // In embedded mode there is no topic: the one in-memory partition's backlog is on the ORDERS/S line.
  if (s.mode === 'embedded' || s.partitions.length === 0 || room < 2) return [];
  const count = (n: number | undefined) => known(n, formatCount);
  const heading = row(PARTITION_COLUMNS.map(([title]) => title), 'muted');
  const total = (pick: (p: HealthSummary['partitions'][number]) => number | undefined) => {
    const values = s.partitions.map(pick);
    return values.some((v) => v === undefined) ? UNKNOWN : formatCount(values.reduce((a: number, v) => a + v!, 0));
  };
  const rows = s.partitions.map((p) => row([String(p.partition), count(p.end), count(p.committed), count(p.uncommitted), count(p.unread)]));
  const totalRow = s.partitions.length > 1 ? [row(['TOTAL', total((p) => p.end), total((p) => p.committed), total((p) => p.uncommitted), total((p) => p.unread)])] : [];
  const fits = room - 1 - totalRow.length;
  if (rows.length <= fits) return [heading, ...rows, ...totalRow];
  const shown = Math.max(0, fits - 1);
  const more: HealthViewLine = [{ text: `… ${rows.length - shown} more partitions`, tone: 'muted' }];
  return [heading, ...rows.slice(0, shown), more, ...totalRow].slice(0, room);
}

/** Mismatches first: the one figure that says the numbers on screen are wrong. */
function auditLine(a: AuditSummary | undefined): HealthViewLine {
  if (!a?.on) return [label('AUDIT'), { text: 'off · a or --audit re-derives every window from the orders', tone: 'muted' }];
  const { tally } = a;
  return [
    label('AUDIT'),
    ...figure('mismatch', formatCount(tally.mismatch), tally.mismatch > 0 ? 'bad' : 'good'),
    SEP,
    ...figure('reconciled', formatCount(tally.reconciled)),
    SEP,
    // Never silently behind, and before the rest, so a narrow terminal still shows it.
    ...(a.behindOrders > 0 ? figure('behind', `${formatCount(a.behindOrders)} orders`, 'warn') : figure('behind', '0')),
    SEP,
    ...figure('pending', formatCount(a.pendingWindows)),
    SEP,
    ...figure('late', formatCount(tally.late)),
    SEP,
    ...figure('before audit', formatCount(tally['before-audit'])),
    SEP,
    ...figure('unverifiable', formatCount(tally.unverifiable), tally.unverifiable > 0 ? 'warn' : undefined),
  ];
}

/** Why some figures are unknown or what they mean, most useful first. */
function notes(s: HealthSummary): HealthViewLine[] {
  const out: string[] = [];
  if (s.offsets && !s.offsets.groupCommitted) {
    out.push(`Group ${s.offsets.group} has committed nothing on ${s.offsets.ordersTopic}: has the pipeline run? (--pipeline-group names its group)`);
  }
  if (s.pipeline?.from === 'status-topic' && s.partitions.some((p) => p.uncommitted !== undefined)) {
    out.push('emart-pipeline commits once a window is published: UNCOMMITTED includes the open window; UNREAD is what it has still to read.');
  }
  if (s.mode === 'kafka' && !s.pipeline) out.push("With Numaflow, watermarks and errors per vertex are in Numaflow's UI.");
  return out.map((text): HealthViewLine => [{ text: sanitize(text), tone: 'muted' }]);
}

/** The view's lines for `height` lines: the figures first, then the partitions, then notes. */
export function healthLines(s: HealthSummary, options: { height: number; nowMs: number; audit?: AuditSummary | undefined }): HealthViewLine[] {
  const figures = [pipelineLine(s), ordersLine(s), resultsLine(s), watermarkLine(s), droppedLine(s), auditLine(options.audit), errorLine(s, options.nowMs)];
  if (figures.length >= options.height) return figures.slice(0, Math.max(0, options.height));
  const lines: HealthViewLine[] = [...figures, [], offsetsTitle(s)];
  lines.push(...partitionLines(s, options.height - lines.length));
  const extra = notes(s);
  if (extra.length > 0 && lines.length + 1 < options.height) lines.push([], ...extra.slice(0, options.height - lines.length - 1));
  return lines.slice(0, options.height);
}

function Line({ segments }: { segments: HealthViewLine }) {
  const theme = useTheme();
  if (segments.length === 0) return <Text> </Text>;
  return <StyledText segments={segments} theme={theme} />;
}

export interface HealthViewProps {
  /** Undefined until the source's first report. */
  summary: HealthSummary | undefined;
  width: number;
  /** Lines available. */
  height: number;
  nowMs: number;
  audit?: AuditSummary | undefined;
}

export const HealthView = memo(function HealthView({ summary, width, height, nowMs, audit }: HealthViewProps) {
  const lines: HealthViewLine[] = summary ? healthLines(summary, { height, nowMs, audit }) : [[{ text: 'Waiting for the first health report…', tone: 'muted' }]];
  return (
    <Box flexDirection="column" width={width} paddingX={1}>
      {lines.slice(0, Math.max(1, height)).map((segments, i) => (
        <Line key={i} segments={segments} />
      ))}
    </Box>
  );
});

/** The one-line summary: each figure or "—", and what needs attention. */
export function healthLineSegments(s: HealthSummary, audit?: AuditSummary): HealthViewLine {
  const segments: HealthSegment[] = [
    { text: 'health ', tone: 'muted' },
    ...figure('in', known(s.produced, formatRate)),
    SEP,
    ...figure('read', known(s.consumed, formatRate)),
    SEP,
    ...figure('backlog', known(s.backlog, formatCount), (s.backlog ?? 0) > 0 ? 'warn' : undefined),
    SEP,
    ...figure('results', known(s.results, perMinute)),
    SEP,
    ...figure('watermark', s.watermarkLagMs === undefined ? UNKNOWN : `${formatSpan(s.watermarkLagMs)} ${s.watermarkLagMs < 0 ? 'ahead' : 'behind'}`, (s.watermarkLagMs ?? 0) > 60_000 ? 'warn' : undefined),
    SEP,
    ...figure('late', known(s.lateOrders, formatCount), (s.lateOrders ?? 0) > 0 ? 'warn' : undefined),
    SEP,
    ...figure('invalid', known(s.invalidOrders, formatCount), (s.invalidOrders ?? 0) > 0 ? 'warn' : undefined),
    SEP,
    ...figure('retries', known(s.sendRetries, formatCount), (s.sendRetries ?? 0) > 0 ? 'warn' : undefined),
  ];
  if (audit?.on) segments.push(SEP, ...auditFigure(audit));
  if (audit?.on && audit.behindOrders > 0) segments.push({ text: ` · audit ${formatCount(audit.behindOrders)} orders behind`, tone: 'warn' });
  if (s.pipeline?.stale) segments.push({ text: ` · pipeline silent ${formatSpan(s.pipeline.silentForMs)}`, tone: 'warn' });
  if (s.offsets?.stale || (!s.offsets && s.kafkaError)) segments.push({ text: ' · offsets unavailable', tone: 'warn' });
  return segments;
}

/** ✗ only when something differs: otherwise the windows reconciled (late orders rightly left out included). */
function auditFigure({ tally }: AuditSummary): HealthSegment[] {
  if (tally.mismatch > 0) return figure('audit ✗', formatCount(tally.mismatch), 'bad');
  return figure('audit ✓', formatCount(tally.reconciled + tally.late));
}

export const HealthLine = memo(function HealthLine({ summary, width, audit }: { summary: HealthSummary; width: number; audit?: AuditSummary | undefined }) {
  return (
    <Box width={width} paddingX={1}>
      <Line segments={healthLineSegments(summary, audit)} />
    </Box>
  );
});
