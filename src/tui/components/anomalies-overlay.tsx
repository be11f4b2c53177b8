/**
 * The anomalies seen in the windows kept (key !), newest window first: when, which category, which
 * figure, its value against the median of the category's recent complete windows, and by how much.
 * As tall as the lines it has; what does not fit is counted, never cut silently.
 */
import { Box, Text } from 'ink';
import type { SeenAnomaly } from '../state/anomalies.js';
import { formatAnomaly } from '../table-cells.js';
import { formatClock, formatCount, formatMoney } from '../format.js';
import { fit, sanitize } from '../text.js';
import { ToneText } from './tone-text.js';

export interface AnomaliesOverlayProps {
  anomalies: readonly SeenAnomaly[];
  /** Windows judged so far: complete windows with enough history before them. */
  windowsKept: number;
  width: number;
  height: number;
}

/** One line of the list, as text columns: window, category, metric, value vs median, change. */
export function anomalyLine(anomaly: SeenAnomaly, nameWidth: number): string {
  const value = (x: number) => (anomaly.metric === 'revenue' ? formatMoney(Math.round(x)) : (Number.isInteger(x) ? formatCount(x) : x.toFixed(1)));
  const when = `${formatClock(anomaly.startMs)}–${formatClock(anomaly.endMs)}`;
  return `${when}  ${fit(sanitize(anomaly.categoryName), nameWidth)}  ${fit(anomaly.metric, 7)}  ${value(anomaly.value).padStart(10)} vs median ${value(anomaly.median).padStart(10)}  ${formatAnomaly(anomaly.change, 12)}`;
}

export function AnomaliesOverlay({ anomalies, windowsKept, width, height }: AnomaliesOverlayProps) {
  const nameWidth = Math.min(20, Math.max(8, ...anomalies.map((a) => sanitize(a.categoryName).length)));
  // Title, the rule, and the list; the last line counts what did not fit.
  const room = Math.max(0, height - 2);
  const shown = anomalies.length > room ? anomalies.slice(0, Math.max(0, room - 1)) : anomalies;
  return (
    <Box flexDirection="column" paddingX={1} height={height} width={width} overflow="hidden">
      <Text wrap="truncate-end">
        <ToneText tone="accent" bold>
          Anomalies seen: {formatCount(anomalies.length)} in {formatCount(windowsKept)} complete windows kept
        </ToneText>
      </Text>
      <Text wrap="truncate-end">
        <ToneText tone="muted">
          {anomalies.length === 0
            ? 'None: each category looks like its own last 12 complete windows · ! or Esc closes'
            : 'each against its own last 12 complete windows (median ± 4 MAD, 30% at least) · ! or Esc closes'}
        </ToneText>
      </Text>
      {shown.map((anomaly, index) => (
        <Text key={index} wrap="truncate-end">
          <ToneText tone={anomaly.change > 0 ? 'warn' : 'bad'}>{anomaly.change > 0 ? '▲' : '▼'}</ToneText> {anomalyLine(anomaly, nameWidth)}
        </Text>
      ))}
      {shown.length < anomalies.length && <ToneText tone="muted">… {formatCount(anomalies.length - shown.length)} older</ToneText>}
    </Box>
  );
}
