/**
 * The whole screen as a pure function of the state and the terminal size, so snapshot tests and the
 * frame benchmark render exactly what the terminal shows. Its height stays below the terminal's: Ink 6
 * clears the whole terminal on every frame once its output reaches the last row.
 */
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { planColumns, type Column } from '../layout.js';
import { feedHealth } from '../state/feed.js';
import { summarizeGenerator } from '../state/generator.js';
import { summarizeProblems } from '../state/problems.js';
import { visibleWindows, waitingWhileFrozen, type TuiState, type ViewState } from '../state/reducer.js';
import { buildWindowView, knownCategories, type WindowView } from '../state/view.js';
import { displayWidth } from '../text.js';
import { ThemeContext } from '../theme.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { KeyHints } from './key-hints.js';
import { StatusLine } from './status-line.js';
import { ToneText } from './tone-text.js';
import { WindowCaption } from './window-caption.js';
import { WindowChart } from './window-chart.js';
import { WindowTable } from './window-table.js';

export interface ScreenProps {
  state: TuiState;
  columns: number;
  rows: number;
  description: string;
  control: boolean;
  keysActive: boolean;
  /** The rate the generator was started with, when this process knows it. */
  initialRate: number | undefined;
  color: boolean;
}

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 12;
/** Header (2), gap, status and hints (2). */
const HEADER_AND_STATUS_LINES = 5;
/** Those, plus caption, table heading (2), rule and total (2). */
const FIXED_LINES = HEADER_AND_STATUS_LINES + 5;
const MAX_CHART_HEIGHT = 12;

export function Screen(props: ScreenProps) {
  // A new context value would re-render every themed component, memoized or not.
  const theme = useMemo(() => ({ color: props.color }), [props.color]);
  return <ThemeContext.Provider value={theme}>{props.columns < MIN_COLUMNS || props.rows < MIN_ROWS ? <TooSmall {...props} /> : <Layout {...props} />}</ThemeContext.Provider>;
}

function Layout(props: ScreenProps) {
  const { state, columns: width } = props;
  const height = props.rows - 1;
  const frozen = state.frozen ? waitingWhileFrozen(state) : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header
        width={width}
        description={props.description}
        connection={state.connection}
        feed={feedHealth(state, state.nowMs)}
        generator={summarizeGenerator(state, state.nowMs)}
        initialRate={props.initialRate}
        control={props.control}
        frozenWaiting={frozen}
      />
      <Box flexDirection="column" flexGrow={1} marginTop={1}>
        {state.helpOpen ? (
          <HelpOverlay control={props.control} keysActive={props.keysActive} height={height - HEADER_AND_STATUS_LINES} />
        ) : (
          <Main
            windows={state.windows}
            frozen={state.frozen}
            selectedEndMs={state.selectedEndMs}
            filter={state.filter}
            sort={state.sort}
            historyLimit={state.historyLimit}
            connection={state.connection}
            problems={state.problems}
            width={width}
            rows={props.rows}
          />
        )}
      </Box>
      <StatusLine problems={summarizeProblems(state, state.nowMs)} notice={state.notice} nowMs={state.nowMs} />
      <KeyHints width={width} control={props.control} keysActive={props.keysActive} filter={state.filter} />
    </Box>
  );
}

interface MainProps extends ViewState, Pick<TuiState, 'historyLimit' | 'connection' | 'problems'> {
  width: number;
  rows: number;
}

/**
 * The table and the chart. Memoized on the parts of the state they show, so the frames that only
 * bring a generator status or a clock tick do not rebuild them.
 */
const Main = memo(function Main(props: MainProps) {
  const { width, rows } = props;
  const { view, columns, chartSlots } = plan(props, width, props.historyLimit);
  if (!view) return <Waiting connection={props.connection} problems={props.problems} />;
  const maxRows = Math.max(1, rows - 1 - FIXED_LINES);
  const spare = maxRows - Math.max(1, Math.min(view.rows.length, maxRows));
  const chartHeight = spare >= 5 ? Math.min(MAX_CHART_HEIGHT, spare - 3) : spare === 4 ? 2 : 0;
  return (
    <>
      <WindowCaption view={view} width={width} filter={props.filter} />
      <WindowTable view={view} columns={columns} sort={props.sort} filter={props.filter.text} maxRows={maxRows} />
      {chartHeight > 0 && chartSlots > 1 && <WindowChart chart={view.chart} height={chartHeight} windowMs={view.entry.endMs - view.entry.startMs} gap={spare >= 5} />}
    </>
  );
});

/** Columns fit the names and the windows kept; sparkline and chart are as long as their space. */
function plan(state: ViewState, width: number, historyLimit: number): { view: WindowView | undefined; columns: Column[]; chartSlots: number } {
  const windows = visibleWindows(state);
  let longestName = 0;
  for (const name of knownCategories(windows).values()) longestName = Math.max(longestName, displayWidth(name));
  const columns = planColumns({ width, longestName, historyLimit });
  const trendSlots = columns.find((c) => c.id === 'trend')?.width ?? 0;
  const chartSlots = Math.min(historyLimit, width - 2);
  return { view: buildWindowView(state, { trendSlots, chartSlots }), columns, chartSlots };
}

function Waiting({ connection, problems }: Pick<TuiState, 'connection' | 'problems'>) {
  const problem = connection.state === 'error' || connection.state === 'reconnecting' || problems.has('broker');
  return (
    <Box flexDirection="column" paddingX={1}>
      <ToneText tone={problem ? 'warn' : 'accent'} bold>
        {problem ? 'No data yet: the brokers do not answer.' : 'Waiting for the first window…'}
      </ToneText>
      <ToneText tone="muted">
        {problem
          ? 'Check --brokers (or KAFKA_BROKERS) and that Kafka is up; emart-tui keeps retrying, q quits.'
          : 'A window appears once it closes: shortly after its end, when the watermark passes it.'}
      </ToneText>
    </Box>
  );
}

function TooSmall({ columns, rows }: ScreenProps) {
  return (
    <Text wrap="truncate-end">
      Terminal {columns}×{rows} is too small; emart-tui needs {MIN_COLUMNS}×{MIN_ROWS}. Enlarge it, or q quits.
    </Text>
  );
}
