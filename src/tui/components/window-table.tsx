/**
 * The table for one window, hand-written (ink-table does not load under Ink 6): a heading, one line per
 * category, and a totals line. Rows that do not fit the height are counted instead of cut off silently.
 */
import { Box, Text } from 'ink';
import type { SortKey } from '../columns.js';
import { MARGIN, tableWidth, type PlannedColumn } from '../layout.js';
import type { WindowView } from '../state/view.js';
import { cellContexts, headerCells, rowCells, totalCells, type Cell } from '../table-cells.js';
import { sanitize } from '../text.js';
import { SegmentLine } from './segment-line.js';
import { ToneText } from './tone-text.js';

export interface WindowTableProps {
  view: WindowView;
  columns: readonly PlannedColumn[];
  sort: { key: SortKey; descending: boolean };
  filter: string;
  /** Lines available for category rows. */
  maxRows: number;
  /** The category under the cursor (↑/↓), marked ▶ and drawn in reverse. */
  cursor?: string | undefined;
}

export function WindowTable({ view, columns, sort, filter, maxRows, cursor }: WindowTableProps) {
  const overflow = view.rows.length > maxRows;
  const room = overflow ? Math.max(0, maxRows - 1) : view.rows.length;
  // The rows scroll as far as the cursor, so the selected category is always on screen.
  const at = cursor === undefined ? -1 : view.rows.findIndex((row) => row.id === cursor);
  const first = at >= room ? at - room + 1 : 0;
  const shown = view.rows.slice(first, first + room);
  const filtered = view.rows.length < view.categories;
  const contexts = cellContexts(columns, view);
  return (
    <Box flexDirection="column">
      <Line cells={headerCells(columns, sort)} />
      <Rule width={tableWidth(columns)} />
      {shown.map((row) => (
        <Line key={row.id} cells={rowCells(columns, contexts, row)} selected={row.id === cursor} />
      ))}
      {view.rows.length === 0 && <NoMatch filter={filter} />}
      {overflow && (
        <Text>
          {' '}
          <ToneText tone="muted">… {view.rows.length - shown.length} more categories; / filters them</ToneText>
        </Text>
      )}
      <Rule width={tableWidth(columns)} />
      <Line cells={totalCells(columns, contexts, view.total, filtered ? `TOTAL ${view.rows.length}/${view.categories}` : 'TOTAL')} />
    </Box>
  );
}

function NoMatch({ filter }: { filter: string }) {
  return (
    <Text wrap="truncate-end">
      {' '}
      <ToneText tone="warn">No category matches “{sanitize(filter)}”.</ToneText>
      <ToneText tone="muted"> Esc clears the filter.</ToneText>
    </Text>
  );
}

/**
 * A rule drawn as a bottom border: Ink draws borders without measuring text, which a line of '─'
 * characters would cost on every frame.
 */
function Rule({ width }: { width: number }) {
  return <Box width={width} marginLeft={MARGIN} borderStyle="single" borderTop={false} borderLeft={false} borderRight={false} borderDimColor />;
}

/** A table line, after the left margin; the selected row has ▶ in the margin and its first cell reversed. */
function Line({ cells, selected = false }: { cells: readonly Cell[]; selected?: boolean }) {
  if (!selected) return <SegmentLine cells={[{ kind: 'text', text: ' ' }, ...cells]} />;
  const first = cells.findIndex((cell) => cell.kind === 'text' && cell.text.trim() !== '');
  const marked = cells.map((cell, i) => (i === first && cell.kind === 'text' ? { ...cell, inverse: true } : cell));
  return <SegmentLine cells={[{ kind: 'text', text: '▶', tone: 'accent', bold: true }, ...marked]} />;
}
