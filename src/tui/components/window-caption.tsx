/**
 * Which window is on screen: its span, whether its figures are whole, how late it arrived after its end,
 * and where it sits in the history.
 */
import { Box, Text } from 'ink';
import { formatClock, formatSpan } from '../format.js';
import type { AuditMark } from '../state/audit.js';
import { isPartial, reportedCategories } from '../state/completeness.js';
import type { SeenInPart, WindowEntry } from '../state/history.js';
import { closesInSeconds, type OpenWindowEntry } from '../state/open-window.js';
import type { WindowView } from '../state/view.js';
import { sanitize } from '../text.js';
import { ToneText } from './tone-text.js';

export interface WindowCaptionProps {
  view: WindowView;
  width: number;
  filter: { text: string; editing: boolean };
  /** The view is frozen: its newest window is not the newest that arrived. */
  frozen: boolean;
  /** When the screen started, to tell a replayed window from a late one. */
  startedAtMs: number;
  /** The audit's word on this window; undefined while not auditing. */
  audit?: AuditMark | undefined;
}

/** A window this many lengths late within this long of the start was replayed (--from-beginning), not late. */
export const REPLAY_LATENESS_WINDOWS = 3;
export const REPLAY_GRACE_MS = 30_000;

export function describeArrival(view: Pick<WindowView, 'entry' | 'arrivedAfterEndMs'>, startedAtMs: number): string {
  const { entry, arrivedAfterEndMs: late } = view;
  const replayed = late > REPLAY_LATENESS_WINDOWS * (entry.endMs - entry.startMs) && entry.firstReceivedAtMs - startedAtMs < REPLAY_GRACE_MS;
  if (replayed) return 'replayed: read from the topic, not live';
  return late >= 0 ? `arrived ${formatSpan(late)} after its end` : `arrived ${formatSpan(late)} before its end (clocks differ?)`;
}

/** Where the window sits, first after its time, so no width cuts it off; "newest" only while it is. */
export function describePosition(view: Pick<WindowView, 'position' | 'count'>, frozen: boolean): { text: string; live: boolean } {
  const at = `window ${view.position}/${view.count}`;
  if (frozen) return { text: `${at} · frozen, l: live`, live: false };
  if (view.position < view.count) return { text: `${at} · → newer, l: live`, live: false };
  return { text: `${at}, newest`, live: true };
}

export function WindowCaption({ view, width, filter, frozen, startedAtMs, audit }: WindowCaptionProps) {
  const { entry } = view;
  const position = describePosition(view, frozen);
  return (
    <Box width={width} paddingX={1} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold>
          {formatClock(entry.startMs)} – {formatClock(entry.endMs)}
        </Text>
        {audit && <AuditText mark={audit} />}
        {'  '}
        <ToneText tone={position.live ? 'muted' : 'accent'}>{position.text}</ToneText>
        <Completeness entry={entry} />
        <ToneText tone="muted">
          {'  ·  '}
          {describeArrival(view, startedAtMs)}
        </ToneText>
      </Text>
      <FilterText filter={filter} />
    </Box>
  );
}

export interface OpenWindowCaptionProps {
  open: OpenWindowEntry;
  width: number;
  filter: { text: string; editing: boolean };
  frozen: boolean;
}

/**
 * The caption of the open window's figures so far (open-window.ts), shown while no window has closed:
 * "open, so far" comes first, so no width cuts off that they are not final.
 */
export function OpenWindowCaption({ open, width, filter, frozen }: OpenWindowCaptionProps) {
  const seconds = closesInSeconds(open);
  return (
    <Box width={width} paddingX={1} justifyContent="space-between">
      <Text wrap="truncate-end">
        <ToneText tone="warn" bold>
          ◌ open, so far:
        </ToneText>{' '}
        <Text bold>
          {formatClock(open.startMs)} – {formatClock(open.endMs)}
        </Text>
        <ToneText tone="muted">
          {' · '}
          {seconds > 0 ? `closes in ${seconds}s` : 'closing'}
          {frozen ? ' · frozen, l: live' : ''}
        </ToneText>
      </Text>
      <FilterText filter={filter} />
    </Box>
  );
}

function FilterText({ filter }: { filter: { text: string; editing: boolean } }) {
  if (filter.text === '' && !filter.editing) return null;
  return (
    <Box flexShrink={0} marginLeft={2}>
      <Text>
        <ToneText tone="muted">filter </ToneText>
        <ToneText tone="accent" bold>
          {sanitize(filter.text)}
          {filter.editing ? '▏' : ''}
        </ToneText>
      </Text>
    </Box>
  );
}

/** PARTIAL while categories may still arrive; a window emart-tui joined in the middle of stays marked. */
function Completeness({ entry }: { entry: WindowEntry }) {
  if (isPartial(entry)) {
    const { reported, of } = reportedCategories(entry);
    return (
      <ToneText tone="warn">
        {'  '}
        <Text bold>PARTIAL</Text> {reported}/{of} categories, figures still arriving
      </ToneText>
    );
  }
  if (!entry.seenInPart) return null;
  return (
    <ToneText tone="warn">
      {'  '}
      <Text bold>PARTIAL</Text> seen in part: {SEEN_IN_PART[entry.seenInPart]}
    </ToneText>
  );
}

const SEEN_IN_PART: Record<Exclude<SeenInPart, false>, string> = {
  'started-mid-window': 'emart-tui started mid-window',
  'kafka-came-back-empty': 'Kafka came back empty during it',
};

const AUDIT_TONE = { reconciled: 'good', late: 'good', 'before-audit': 'muted', unverifiable: 'warn', pending: 'muted', mismatch: 'bad' } as const;

/** Right after the window's time, so a narrow terminal cuts the arrival first, never a ✗. */
function AuditText({ mark }: { mark: AuditMark }) {
  return (
    <ToneText tone={AUDIT_TONE[mark.kind]} bold={mark.kind === 'mismatch'}>
      {'  '}
      {mark.text}
    </ToneText>
  );
}
