/**
 * Revenue per window as a column chart under the table, newest at the right, the window on screen
 * marked. It takes all the width and all the height the table leaves free, with a value axis (the
 * peak and 0) on the left and a time axis (the first and last window, and the one on screen) below.
 */
import { Box, Text } from 'ink';
import { formatDuration } from '../../core/duration.js';
import { columnFormat, formatClock } from '../format.js';
import { columnChart, largest } from '../glyphs.js';
import type { Chart } from '../state/view.js';
import { fit } from '../text.js';
import { BlockText } from './block-text.js';
import { ToneText } from './tone-text.js';

/** The value axis: a label as wide as "265.4K" and its tick. */
const LABEL_WIDTH = 7;
const AXIS_WIDTH = LABEL_WIDTH + 2;
const PADDING = 1;
/** Title and the two axis lines below the bars. */
const CHROME_LINES = 3;

export interface ChartPlan {
  /** Windows in the chart, and cells per window. */
  slots: number;
  each: number;
  height: number;
  /** A blank line above, when there is room for it. */
  gap: boolean;
}

/**
 * How big the chart is, given the screen width, the lines the table leaves free and the windows kept.
 * Every column of the width is used: windows are drawn wider when few are kept, and the chart reaches
 * back further than the history only where the history is shorter than the width.
 */
export function planChart(width: number, freeLines: number, historyLimit: number): ChartPlan | undefined {
  const { slots, each } = chartColumns(width, historyLimit);
  const gap = freeLines >= CHROME_LINES + 3;
  const height = freeLines - CHROME_LINES - (gap ? 1 : 0);
  if (slots < 2 || height < 2) return undefined;
  return { slots, each, height, gap };
}

/** Windows in the chart and cells per window: they depend on the width only, not on the height. */
export function chartColumns(width: number, historyLimit: number): { slots: number; each: number } {
  const area = Math.max(0, width - 2 * PADDING - AXIS_WIDTH);
  const each = Math.max(1, Math.floor(area / historyLimit));
  return { slots: Math.floor(area / each), each };
}

export interface WindowChartProps {
  chart: Chart;
  plan: ChartPlan;
}

export function WindowChart({ chart, plan }: WindowChartProps) {
  const { values, selected, endMs, windowMs } = chart;
  const { height, each } = plan;
  const peak = largest(values);
  const money = columnFormat('money', peak, LABEL_WIDTH - 1);
  const peakAt = values.indexOf(peak);
  const rows = columnChart(values, height, each);
  const mark = selected === undefined ? undefined : selected * each;
  const slotEnd = (slot: number) => endMs - (values.length - 1 - slot) * windowMs;
  return (
    <Box flexDirection="column" paddingX={PADDING} marginTop={plan.gap ? 1 : 0}>
      <Text wrap="truncate-end">
        <ToneText tone="muted" bold>
          REVENUE PER WINDOW
        </ToneText>
        <ToneText tone="muted">
          {'  '}one column per {formatDuration(windowMs)} window
          {peak > 0 && ` · peak ${columnFormat('money', peak, 14)(peak)} at ${formatClock(slotEnd(peakAt))}`}
        </ToneText>
      </Text>
      {/* Whole columns of lines rather than a Box per line: Ink's cost per frame grows with its nodes. */}
      <Box>
        <ToneText tone="muted">{valueAxis(height, peak > 0 ? money(peak) : '')}</ToneText>
        <Columns rows={rows} axis={'─'.repeat(values.length * each)} at={mark} width={each} />
      </Box>
      <ToneText tone="muted">{timeAxis(values.length * each, slotEnd(0) - windowMs, endMs, mark === undefined || selected === undefined ? undefined : { at: mark, ms: slotEnd(selected) })}</ToneText>
    </Box>
  );
}

/** The peak against the top line, 0 against the axis line, a rule between. */
function valueAxis(height: number, peak: string): string {
  const label = (text: string, tick: string) => `${fit(text, LABEL_WIDTH, 'right')} ${tick}`;
  return [label(peak, '┤'), ...Array.from({ length: height - 1 }, () => label('', '│')), label('0', '└')].join('\n');
}

/**
 * The time axis: the start of the first window at the left, the end of the newest at the right, and the
 * end of the window on screen under its mark when that does not run into either.
 */
export function timeAxis(width: number, fromMs: number, toMs: number, selected: { at: number; ms: number } | undefined): string {
  const line = Array.from({ length: AXIS_WIDTH + width }, () => ' ');
  const put = (text: string, at: number) => {
    if (at < 0 || at + text.length > line.length || line.slice(Math.max(0, at - 1), at + text.length + 1).some((c) => c !== ' ')) return;
    for (let i = 0; i < text.length; i++) line[at + i] = text[i]!;
  };
  const first = formatClock(fromMs);
  const last = formatClock(toMs);
  put(first, AXIS_WIDTH);
  put(last, line.length - last.length);
  if (selected) {
    const label = formatClock(selected.ms);
    put(label, Math.min(line.length - label.length, Math.max(AXIS_WIDTH, AXIS_WIDTH + selected.at - Math.floor(label.length / 2))));
  }
  return line.join('').trimEnd();
}

/**
 * The bars and the axis line below them, in at most three blocks of lines: before the window on screen,
 * that window in the accent colour (marked ▲ on the axis), and after it.
 */
function Columns({ rows, axis, at, width }: { rows: readonly string[]; axis: string; at: number | undefined; width: number }) {
  const block = (from: number, to: number | undefined, mark?: string) => [...rows.map((row) => row.slice(from, to)), mark ?? axis.slice(from, to)].join('\n');
  if (at === undefined) return <Bars glyphs={block(0, undefined)} />;
  return (
    <>
      {at > 0 && <Bars glyphs={block(0, at)} />}
      <BlockText glyphs={block(at, at + width, '▲'.repeat(width))} tone="accent" bold />
      {at + width < axis.length && <Bars glyphs={block(at + width, undefined)} />}
    </>
  );
}

/** Bars in the bar colour, the axis line (the last line) muted. */
function Bars({ glyphs }: { glyphs: string }) {
  const cut = glyphs.lastIndexOf('\n');
  return (
    <Box flexDirection="column">
      <BlockText glyphs={glyphs.slice(0, cut)} tone="bar" />
      <BlockText glyphs={glyphs.slice(cut + 1)} tone="muted" />
    </Box>
  );
}
