/**
 * Two lines: where the data comes from and the connection; then the generator (badge, rates, orders
 * sent) and the view's own state (FROZEN, read-only).
 */
import { Box, Text } from 'ink';
import type { ConnectionState } from '../../core/results-source.js';
import { formatCount, formatRate, formatSpan } from '../format.js';
import { STATUS_STALE_MS, type GeneratorSummary } from '../state/generator.js';
import { sanitize } from '../text.js';
import type { Tone } from '../theme.js';
import { Badge } from './badge.js';
import { ToneText } from './tone-text.js';

export interface HeaderProps {
  width: number;
  description: string;
  connection: ConnectionState;
  generator: GeneratorSummary | undefined;
  initialRate: number | undefined;
  control: boolean;
  frozenWaiting: number | undefined;
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
          <Connection connection={props.connection} width={Math.max(12, Math.floor(props.width / 2))} />
        </Box>
      </Box>
      <Box justifyContent="space-between">
        <Generator summary={props.generator} initialRate={props.initialRate} />
        <Box flexShrink={0} marginLeft={1}>
          <ViewBadges control={props.control} frozenWaiting={props.frozenWaiting} />
        </Box>
      </Box>
    </Box>
  );
}

const CONNECTION: Record<ConnectionState['state'], { glyph: string; tone: Tone; label: string }> = {
  connecting: { glyph: '◌', tone: 'warn', label: 'connecting…' },
  live: { glyph: '●', tone: 'good', label: 'live' },
  reconnecting: { glyph: '◐', tone: 'warn', label: 'reconnecting' },
  error: { glyph: '✖', tone: 'bad', label: 'error' },
};

function Connection({ connection, width }: { connection: ConnectionState; width: number }) {
  const look = CONNECTION[connection.state];
  const message = 'message' in connection ? `: ${sanitize(connection.message)}` : '';
  return (
    <Box width={Math.min(width, look.label.length + message.length + 2)} justifyContent="flex-end">
      <Text wrap="truncate-end">
        <ToneText tone={look.tone} bold>
          {look.glyph} {look.label}
        </ToneText>
        {message}
      </Text>
    </Box>
  );
}

function Generator({ summary, initialRate }: { summary: GeneratorSummary | undefined; initialRate: number | undefined }) {
  if (!summary) {
    return (
      <Text wrap="truncate-end">
        <ToneText tone="muted">generator </ToneText>{' '}
        <ToneText tone="muted">no status yet{initialRate === undefined ? '; is the order generator running?' : ` · starting at ${formatRate(initialRate)}`}</ToneText>
      </Text>
    );
  }
  const stale = summary.silentForMs > STATUS_STALE_MS;
  return (
    <Text wrap="truncate-end">
      <ToneText tone="muted">generator </ToneText> <GeneratorBadge summary={summary} />
      {summary.pendingPause !== undefined && <ToneText tone="muted"> {summary.pendingPause ? '→ pausing…' : '→ resuming…'}</ToneText>}
      {'  '}
      <Figure label="target" value={formatRate(summary.targetRate)} />
      {summary.pendingRate !== undefined && <ToneText tone="accent"> → {formatRate(summary.pendingRate)}</ToneText>}
      {'  '}
      <Figure label="actual" value={formatRate(summary.actualRate)} />
      {'  '}
      <Figure label="sent" value={formatCount(summary.ordersSent)} />
      {/replicas$/.test(summary.replica) && <ToneText tone="muted"> · {sanitize(summary.replica)}</ToneText>}
      {summary.sendErrors > 0 && <ToneText tone="bad"> · {formatCount(summary.sendErrors)} send errors</ToneText>}
      {summary.lastError !== null && <ToneText tone="bad">: {sanitize(summary.lastError)}</ToneText>}
      {stale && <ToneText tone="warn"> · no status for {formatSpan(summary.silentForMs)}</ToneText>}
    </Text>
  );
}

function GeneratorBadge({ summary }: { summary: GeneratorSummary }) {
  return summary.paused ? <Badge label="PAUSED" tone="warn" /> : <Badge label="LIVE" tone="good" />;
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
