/**
 * Revenue per window as a column chart under the table, newest at the right, the window on screen
 * marked. It uses the height the table leaves free, so taller terminals get a taller chart.
 */
import { Box, Text } from 'ink';
import { formatDuration } from '../../core/duration.js';
import { fitNumber, formatMoney } from '../format.js';
import { columnChart } from '../glyphs.js';
import type { Chart } from '../state/view.js';
import type { Tone } from '../theme.js';
import { BlockText } from './block-text.js';
import { ToneText } from './tone-text.js';

export interface WindowChartProps {
  chart: Chart;
  height: number;
  windowMs: number;
  /** A blank line above, when there is room for it. */
  gap: boolean;
}

export function WindowChart({ chart, height, windowMs, gap }: WindowChartProps) {
  const { values, selected } = chart;
  const peak = values.reduce<number>((max, v) => Math.max(max, v ?? 0), 0);
  const rows = columnChart(values, height);
  return (
    <Box flexDirection="column" paddingX={1} marginTop={gap ? 1 : 0}>
      <Text wrap="truncate-end">
        <ToneText tone="muted" bold>
          REVENUE PER WINDOW
        </ToneText>
        <ToneText tone="muted">
          {'  '}one column per {formatDuration(windowMs)} window · peak {fitNumber(formatMoney(peak), peak / 100, 12)}
        </ToneText>
      </Text>
      {rows.map((row, index) => (
        <Box key={index}>
          <Split glyphs={row} at={selected} tone="bar" />
        </Box>
      ))}
      <Box>
        <Split glyphs={'─'.repeat(values.length)} at={selected} tone="muted" mark="▲" />
      </Box>
    </Box>
  );
}

/** A chart line with the window on screen in the accent colour (and on the axis, marked). */
function Split({ glyphs, at, tone, mark }: { glyphs: string; at: number | undefined; tone: Tone; mark?: string }) {
  if (at === undefined) return <BlockText glyphs={glyphs} tone={tone} />;
  const chars = [...glyphs];
  return (
    <>
      <BlockText glyphs={chars.slice(0, at).join('')} tone={tone} />
      <BlockText glyphs={mark ?? chars[at] ?? ' '} tone="accent" bold />
      <BlockText glyphs={chars.slice(at + 1).join('')} tone={tone} />
    </>
  );
}
