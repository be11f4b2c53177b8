/**
 * Recent problems with counts per kind and their age, the latest one's message, problems already past
 * dimmed after them; and the latest feedback to a key press.
 */
import { Text } from 'ink';
import type { ProblemKind } from '../../core/results-source.js';
import { formatCount, formatSpan } from '../format.js';
import type { ProblemSummary, ProblemsView } from '../state/problems.js';
import type { Notice } from '../state/reducer.js';
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
  audit: ['audit note', 'audit notes', 'warn'],
};

export interface StatusLineProps {
  problems: ProblemsView;
  notice: Notice | undefined;
  nowMs: number;
  /** What happened to the whole feed, ahead of everything else while it is news (a broker that came back empty). */
  news?: string | undefined;
}

export function StatusLine({ problems, notice, nowMs, news }: StatusLineProps) {
  const showNotice = notice !== undefined && nowMs - notice.atMs < NOTICE_MS;
  const none = problems.current.length === 0;
  return (
    <Text wrap="truncate-end">
      {' '}
      {news !== undefined && (
        <>
          <ToneText tone="warn" bold>
            {'⚠ '}
            {news}
          </ToneText>
          <ToneText tone="muted">{'  ·  '}</ToneText>
        </>
      )}
      {showNotice && (
        <>
          <ToneText tone={notice.tone === 'warn' ? 'warn' : 'accent'}>{sanitize(notice.text)}</ToneText>
          <ToneText tone="muted">{'  ·  '}</ToneText>
        </>
      )}
      {none ? <ToneText tone="muted">{problems.earlier.length === 0 ? '✓ no errors' : '✓ no errors now'}</ToneText> : <Current problems={problems} />}
      {problems.earlier.length > 0 && (
        <ToneText tone="muted">
          {' · earlier: '}
          {problems.earlier.map(tally).join(', ')}
        </ToneText>
      )}
    </Text>
  );
}

/** "2 send errors 3m ago" */
function tally(problem: ProblemSummary): string {
  const [one, many] = PROBLEM_NAMES[problem.kind];
  return `${formatCount(problem.count)} ${problem.count === 1 ? one : many} ${formatSpan(problem.agoMs)} ago`;
}

function Current({ problems }: { problems: ProblemsView }) {
  return (
    <>
      {problems.current.map((problem, index) => (
        <ToneText key={problem.kind} tone={PROBLEM_NAMES[problem.kind][2]} bold>
          {index === 0 ? '⚠ ' : ' · '}
          {tally(problem)}
        </ToneText>
      ))}
      {problems.message !== undefined && <ToneText tone="muted"> — {sanitize(problems.message)}</ToneText>}
    </>
  );
}
