/**
 * One screen line from cells, drawn as a row of Text runs. Ink measures every Text's width on every
 * frame, and measuring is many times cheaper for pure ASCII, so long ASCII runs are kept apart from
 * glyphs, and bars and sparklines are drawn by their own components (see BlockText).
 */
import { Box, Text } from 'ink';
import { Fragment } from 'react';
import type { Cell, Segment } from '../table-cells.js';
import { ShareBar } from './share-bar.js';
import { Sparkline } from './sparkline.js';
import { toneProps, useTheme, type Theme } from '../theme.js';

const ASCII = /^[\x20-\x7e]*$/;

type Run = { kind: 'text'; ascii: boolean; segments: Segment[] } | Exclude<Cell, Segment>;

export function runsOf(cells: readonly Cell[]): Run[] {
  const runs: Run[] = [];
  for (const cell of cells) {
    if (cell.kind !== 'text') {
      runs.push(cell);
      continue;
    }
    if (cell.text === '') continue;
    const ascii = ASCII.test(cell.text);
    const last = runs.at(-1);
    if (last?.kind === 'text' && last.ascii === ascii) last.segments.push(cell);
    else runs.push({ kind: 'text', ascii, segments: [cell] });
  }
  return runs;
}

export function SegmentLine({ cells }: { cells: readonly Cell[] }) {
  // Plain Texts with the theme looked up once: a line has a dozen segments and a frame a dozen lines.
  const theme = useTheme();
  return <Box flexShrink={0}>{runsOf(cells).map((run, index) => renderRun(run, index, theme))}</Box>;
}

function renderRun(run: Run, index: number, theme: Theme) {
  if (run.kind === 'bar') return <ShareBar key={index} fraction={run.fraction} width={run.width} />;
  if (run.kind === 'spark') return <Sparkline key={index} values={run.values} width={run.width} max={run.max} />;
  return <StyledText key={index} segments={run.segments} theme={theme} />;
}

/** Text pieces with their own tones in one truncated Text; plain pieces stay bare strings (cheaper for Ink). */
export function StyledText({ segments, theme }: { segments: ReadonlyArray<Pick<Segment, 'text' | 'tone' | 'bold' | 'inverse'>>; theme: Theme }) {
  return (
    <Text wrap="truncate-end">
      {segments.map((segment, i) => (
        <Fragment key={i}>
          {segment.tone || segment.bold || segment.inverse ? (
            <Text {...toneProps(segment.tone, theme)} bold={segment.bold} inverse={segment.inverse}>
              {segment.text}
            </Text>
          ) : (
            segment.text
          )}
        </Fragment>
      ))}
    </Text>
  );
}
