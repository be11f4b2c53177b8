/** Which window is on screen: its span, how late it arrived after its end, and where it sits in the history. */
import { Box, Text } from 'ink';
import { formatClock, formatSpan } from '../format.js';
import type { WindowView } from '../state/view.js';
import { sanitize } from '../text.js';
import { ToneText } from './tone-text.js';

export interface WindowCaptionProps {
  view: WindowView;
  width: number;
  filter: { text: string; editing: boolean };
}

export function WindowCaption({ view, width, filter }: WindowCaptionProps) {
  const { entry, position, count } = view;
  const newest = position === count;
  const late = view.arrivedAfterEndMs;
  return (
    <Box width={width} paddingX={1} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold>
          {formatClock(entry.startMs)} – {formatClock(entry.endMs)}
        </Text>
        <ToneText tone="muted">
          {'  '}
          {late >= 0 ? `arrived ${formatSpan(late)} after its end` : `arrived ${formatSpan(late)} before its end (clocks differ?)`}
          {'  ·  '}
        </ToneText>
        {newest ? (
          <ToneText tone="muted">
            window {position}/{count}, newest
          </ToneText>
        ) : (
          <ToneText tone="accent">
            window {position}/{count} · → newer
          </ToneText>
        )}
      </Text>
      {(filter.text !== '' || filter.editing) && (
        <Box flexShrink={0} marginLeft={2}>
          <Text>
            <ToneText tone="muted">filter </ToneText>
            <ToneText tone="accent" bold>
              {sanitize(filter.text)}
              {filter.editing ? '▏' : ''}
            </ToneText>
          </Text>
        </Box>
      )}
    </Box>
  );
}
