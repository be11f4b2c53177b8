/** Recent problems with counts per kind, and the latest feedback to a key press. */
import { Text } from 'ink';
import type { Problem, ProblemKind } from '../../core/results-source.js';
import { formatCount, formatSpan } from '../format.js';
import type { Notice, ProblemTally } from '../state/reducer.js';
import { sanitize } from '../text.js';
import type { Tone } from '../theme.js';
import { ToneText } from './tone-text.js';

/** How long the answer to a key press stays on the status line. */
export const NOTICE_MS = 4_000;

const PROBLEM_NAMES: Record<ProblemKind, [one: string, many: string, tone: Tone]> = {
  'invalid-order': ['invalid order', 'invalid orders', 'warn'],
  'late-order': ['late order', 'late orders', 'warn'],
  'bad-record': ['bad record', 'bad records', 'bad'],
  broker: ['broker error', 'broker errors', 'bad'],
  control: ['control error', 'control errors', 'bad'],
};

export interface StatusLineProps {
  problems: ReadonlyMap<ProblemKind, ProblemTally>;
  lastProblem: Problem | undefined;
  notice: Notice | undefined;
  nowMs: number;
}

export function StatusLine({ problems, lastProblem, notice, nowMs }: StatusLineProps) {
  const showNotice = notice !== undefined && nowMs - notice.atMs < NOTICE_MS;
  return (
    <Text wrap="truncate-end">
      {' '}
      {showNotice && (
        <>
          <ToneText tone={notice.tone === 'warn' ? 'warn' : 'accent'}>{notice.text}</ToneText>
          <ToneText tone="muted">{'  ·  '}</ToneText>
        </>
      )}
      {problems.size === 0 ? <ToneText tone="muted">✓ no errors</ToneText> : <Problems problems={problems} last={lastProblem} nowMs={nowMs} />}
    </Text>
  );
}

function Problems({ problems, last, nowMs }: { problems: ReadonlyMap<ProblemKind, ProblemTally>; last: Problem | undefined; nowMs: number }) {
  const tallies = [...problems.entries()];
  return (
    <>
      {tallies.map(([kind, tally], index) => {
        const [one, many, tone] = PROBLEM_NAMES[kind];
        return (
          <ToneText key={kind} tone={tone} bold>
            {index === 0 ? '⚠ ' : ' · '}
            {formatCount(tally.count)} {tally.count === 1 ? one : many}
          </ToneText>
        );
      })}
      {last && (
        <ToneText tone="muted">
          {' — '}
          {formatSpan(Math.max(0, nowMs - last.atMs))} ago: {sanitize(last.message)}
        </ToneText>
      )}
    </>
  );
}
