/**
 * Two lines: where the data comes from and whether it is current (live, or stale for how long and
 * why); then the generator (LIVE, PAUSED or GONE by the age of its status, rates, orders sent) and the
 * view's own state (FROZEN, read-only).
 */
import { Box, Text } from 'ink';
import { GONE_AFTER_MS } from '../../core/generator-status.js';
import type { ConnectionState } from '../../core/results-source.js';
import { formatCount, formatRate, formatSpan } from '../format.js';
import type { FeedCause, FeedHealth, WaitCause } from '../state/feed.js';
import type { GeneratorSummary } from '../state/generator.js';
import { scenarioLabel, type ActiveScenario } from '../state/scenarios.js';
import { plainWords } from '../state/problems.js';
import { sanitize } from '../text.js';
import type { Tone } from '../theme.js';
import { Badge } from './badge.js';
import { ToneText } from './tone-text.js';

export interface HeaderProps {
  width: number;
  description: string;
  connection: ConnectionState;
  feed: FeedHealth;
  generator: GeneratorSummary | undefined;
  initialRate: number | undefined;
  control: boolean;
  frozenWaiting: number | undefined;
  /** Scenarios in force (a third line while there are any). */
  scenarios?: readonly ActiveScenario[];
}

export function Header(props: HeaderProps) {
  return (
    <Box flexDirection="column" width={props.width} paddingX={1}>
      <Box justifyContent="space-between">
        <Text wrap="truncate-end">
          <ToneText tone="accent" bold>
            e-mart
          </ToneText>
          <ToneText tone="muted"> │ </ToneText>
          {sanitize(props.description)}
        </Text>
        <Box flexShrink={0} marginLeft={2}>
          <Feed feed={props.feed} connection={props.connection} width={Math.max(12, Math.floor(props.width * 0.6))} />
        </Box>
      </Box>
      <Box justifyContent="space-between">
        <Generator summary={props.generator} initialRate={props.initialRate} feed={props.feed} />
        <Box flexShrink={0} marginLeft={1}>
          <ViewBadges control={props.control} frozenWaiting={props.frozenWaiting} />
        </Box>
      </Box>
      {props.scenarios && props.scenarios.length > 0 && <Scenarios scenarios={props.scenarios} />}
    </Box>
  );
}

/** `scenario  FLASH SALE Books ×3 −30% 42s left · outage Toys 12s left` */
function Scenarios({ scenarios }: { scenarios: readonly ActiveScenario[] }) {
  return (
    <Text wrap="truncate-end">
      <ToneText tone="muted">{scenarios.length === 1 ? 'scenario  ' : 'scenarios '}</ToneText>
      {scenarios.map((active, index) => (
        <Text key={index}>
          {index > 0 && <ToneText tone="muted"> · </ToneText>}
          <ToneText tone={active.scenario.command === 'outage' ? 'bad' : 'warn'} bold>
            {sanitize(scenarioLabel(active))}
          </ToneText>
          <ToneText tone="muted"> {formatSpan(Math.ceil(active.leftMs / 1000) * 1000).replace('.0s', 's')} left</ToneText>
        </Text>
      ))}
    </Text>
  );
}

/** A cause after a STALE, or after a wait with no window yet. */
const CAUSES: Record<FeedCause, string> = {
  'broker-down': 'broker down',
  'generator-gone': 'generator gone',
  'generator-paused': 'generator paused',
  'pipeline-silent': 'pipeline silent',
  'pipeline-stopped': 'pipeline stopped',
  'pipeline-holding': 'pipeline holding: results wait for Kafka',
  'pipeline-waiting-for-kafka': 'pipeline waiting for Kafka',
  'pipeline-starting': 'pipeline starting',
  'broker-reset': 'none since Kafka came back empty',
  'generator-started': 'none since the generator started',
  'generator-resumed': 'none since the generator resumed',
  'few-orders': 'too few orders for every window',
};

/** What a wait is for, when it began at a known moment: `waiting for the first window since …`. */
const WAITS: Record<WaitCause, string> = {
  'broker-reset': 'Kafka came back empty',
  'generator-started': 'the generator started',
  'generator-resumed': 'the generator resumed',
};

const isWait = (cause: FeedCause | undefined): cause is WaitCause => cause !== undefined && cause in WAITS;

interface Look {
  glyph: string;
  tone: Tone;
  label: string;
  detail: string;
}

/** What the results' state reads as: a state word, its age, and the likely cause when it is not live. */
function feedLook(feed: FeedHealth, connection: ConnectionState): Look {
  const why = (cause: FeedCause | undefined) => {
    if (!cause) return '';
    if (cause !== 'broker-down' || !('message' in connection)) return ` · ${CAUSES[cause]}`;
    // Short words first: at 80 columns the broker's message is what gets cut.
    return ` · ${connection.state === 'reconnecting' ? 'reconnecting' : CAUSES[cause]}: ${plainWords(connection.message)}`;
  };
  switch (feed.kind) {
    case 'connecting':
      return { glyph: '◌', tone: 'warn', label: 'connecting…', detail: ` ${formatSpan(feed.forMs)}` };
    case 'waiting':
      return { glyph: '◌', tone: 'accent', label: 'waiting', detail: waitingDetail(feed, why) };
    case 'live':
      return { glyph: '●', tone: 'good', label: 'live', detail: ` · last window ${formatSpan(feed.lastWindowAgoMs)} ago` };
    case 'stale': {
      // A source that never connected says so in its own words.
      if (!feed.everWindow && connection.state === 'error') return { glyph: '✖', tone: 'bad', label: 'error', detail: `: ${plainWords(connection.message)}` };
      const tone = feed.cause === 'broker-down' || feed.cause === 'generator-gone' ? 'bad' : 'warn';
      const silent = feed.everWindow ? `no window for ${formatSpan(feed.silentForMs)}` : `no window in ${formatSpan(feed.silentForMs)}`;
      return { glyph: '▲', tone, label: 'STALE', detail: ` · ${silent}${why(feed.cause)}` };
    }
  }
}

/** `no window yet, 3.0s`, `no window yet, 3.0s since the generator started`, `for the first window since Kafka came back empty, 12s`. */
function waitingDetail(feed: Extract<FeedHealth, { kind: 'waiting' }>, why: (cause: FeedCause | undefined) => string): string {
  const span = formatSpan(feed.forMs);
  if (!isWait(feed.cause)) return ` · no window yet, ${span}${why(feed.cause)}`;
  return feed.everWindow ? ` · for the first window since ${WAITS[feed.cause]}, ${span}` : ` · no window yet, ${span} since ${WAITS[feed.cause]}`;
}

function Feed({ feed, connection, width }: { feed: FeedHealth; connection: ConnectionState; width: number }) {
  const look = feedLook(feed, connection);
  const detail = sanitize(look.detail);
  return (
    <Box width={Math.min(width, look.label.length + detail.length + 2)} justifyContent="flex-end">
      <Text wrap="truncate-end">
        <ToneText tone={look.tone} bold>
          {look.glyph} {look.label}
        </ToneText>
        <ToneText tone={feed.kind === 'stale' ? look.tone : 'muted'}>{detail}</ToneText>
      </Text>
    </Box>
  );
}

function Generator({ summary, initialRate, feed }: { summary: GeneratorSummary | undefined; initialRate: number | undefined; feed: FeedHealth }) {
  if (!summary) {
    // Statuses come every second once connected: only then is a missing one a question to ask.
    const joining = feed.kind === 'connecting' || (feed.kind === 'waiting' && feed.forMs <= GONE_AFTER_MS);
    const hint = initialRate !== undefined ? ` · starting at ${formatRate(initialRate)}` : joining ? ' · connecting…' : '; is the order generator running?';
    return (
      <Text wrap="truncate-end">
        <ToneText tone="muted">generator </ToneText> <ToneText tone="muted">no status yet{hint}</ToneText>
      </Text>
    );
  }
  // With Kafka unreachable no status can arrive: the generator's silence says nothing about the generator.
  const brokerDown = (feed.kind === 'waiting' || feed.kind === 'stale') && feed.cause === 'broker-down';
  if (summary.state === 'gone') return <GoneGenerator summary={summary} brokerDown={brokerDown} />;
  return (
    <Text wrap="truncate-end">
      <ToneText tone="muted">generator </ToneText> {summary.paused ? <Badge label="PAUSED" tone="warn" /> : <Badge label="LIVE" tone="good" />}
      {summary.pendingPause !== undefined && <ToneText tone="muted"> {summary.pendingPause ? '→ pausing…' : '→ resuming…'}</ToneText>}
      {'  '}
      <Figure label="target" value={formatRate(summary.targetRate)} />
      {summary.pendingRate !== undefined && <ToneText tone="accent"> → {formatRate(summary.pendingRate)}</ToneText>}
      {'  '}
      <Figure label="actual" value={formatRate(summary.actualRate)} />
      {'  '}
      <Figure label="sent" value={formatCount(summary.ordersSent)} />
      <Replicas summary={summary} />
      <SendErrors summary={summary} />
    </Text>
  );
}

/** A generator that stopped reporting: how long ago, and what it last said, marked as the past. */
function GoneGenerator({ summary, brokerDown }: { summary: GeneratorSummary; brokerDown: boolean }) {
  return (
    <Text wrap="truncate-end">
      <ToneText tone="muted">generator </ToneText> {brokerDown ? <Badge label="UNKNOWN" tone="warn" /> : <Badge label="GONE" tone="bad" />}
      <ToneText tone={brokerDown ? 'warn' : 'bad'}>
        {' '}
        no status for {formatSpan(summary.silentForMs)}
        {brokerDown ? ' while Kafka is unreachable' : ''}
      </ToneText>
      <ToneText tone="muted">
        {' '}
        · last: target {formatRate(summary.targetRate)}, sent {formatCount(summary.ordersSent)}
      </ToneText>
      <Replicas summary={summary} />
    </Text>
  );
}

function Replicas({ summary }: { summary: GeneratorSummary }) {
  if (summary.replicas < 2) return null;
  return (
    <ToneText tone={summary.goneReplicas > 0 && summary.state !== 'gone' ? 'warn' : 'muted'}>
      {' '}
      · {summary.replicas} replicas{summary.goneReplicas > 0 && summary.state !== 'gone' ? `, ${summary.goneReplicas} gone (their rate left the sum)` : ''}
    </ToneText>
  );
}

/** Send errors with their age: current ones with the reason, past ones dimmed. */
function SendErrors({ summary }: { summary: GeneratorSummary }) {
  if (summary.sendErrors === 0) return null;
  const count = `${formatCount(summary.sendErrors)} send error${summary.sendErrors === 1 ? '' : 's'}`;
  if (!summary.sendErrorsCurrent) {
    const when = summary.sendErrorsAgoMs === undefined ? 'earlier' : `${formatSpan(summary.sendErrorsAgoMs)} ago`;
    return <ToneText tone="muted"> · {count} {when}</ToneText>;
  }
  return (
    <ToneText tone="bad">
      {' '}
      · {count} {formatSpan(summary.sendErrorsAgoMs ?? 0)} ago{summary.lastError !== null && `: ${sanitize(plainWords(summary.lastError))}`}
    </ToneText>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <>
      <ToneText tone="muted">{label} </ToneText>
      <Text bold>{value}</Text>
    </>
  );
}

function ViewBadges({ control, frozenWaiting }: { control: boolean; frozenWaiting: number | undefined }) {
  return (
    <Text>
      {frozenWaiting !== undefined && (
        <>
          <Badge label="FROZEN" tone="accent" />
          <ToneText tone="muted"> {formatCount(frozenWaiting)} waiting</ToneText>
        </>
      )}
      {frozenWaiting !== undefined && !control && ' '}
      {!control && <Badge label="READ-ONLY" tone="muted" />}
    </Text>
  );
}
