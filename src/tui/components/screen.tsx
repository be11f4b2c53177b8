/**
 * The whole screen as a pure function of the state and the terminal size, so snapshot tests and the
 * frame benchmark render exactly what the terminal shows. Its height stays below the terminal's: Ink 6
 * clears the whole terminal on every frame once its output reaches the last row.
 */
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { summarizeHealth } from '../../core/health-summary.js';
import { planColumns, type PlannedColumn } from '../layout.js';
import { anomaliesSeen, isComplete } from '../state/anomalies.js';
import { auditMark, shownAudits, summarizeAudit } from '../state/audit.js';
import { brokerResetNews } from '../state/broker-reset.js';
import { feedHealth } from '../state/feed.js';
import { summarizeGenerator } from '../state/generator.js';
import { summarizeProblems } from '../state/problems.js';
import { activeScenarios } from '../state/scenarios.js';
import type { OpenWindowEntry } from '../state/open-window.js';
import { visibleOpenWindow, visibleWindows, waitingWhileFrozen, type TuiState, type ViewState } from '../state/reducer.js';
import { buildOpenView, buildWindowView, knownCategories, type WindowView } from '../state/view.js';
import { displayWidth } from '../text.js';
import { ThemeContext } from '../theme.js';
import { AnomaliesOverlay } from './anomalies-overlay.js';
import { Header } from './header.js';
import { HealthLine, HealthView } from './health-view.js';
import { HelpOverlay } from './help-overlay.js';
import { KeyHints } from './key-hints.js';
import { StatusLine } from './status-line.js';
import { ToneText } from './tone-text.js';
import { OpenWindowCaption, WindowCaption } from './window-caption.js';
import { chartColumns, planChart, WindowChart, type ChartPlan } from './window-chart.js';
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
/** Header (2), status and hints (2); a blank line below the header when the terminal has 16 rows or more. */
const HEADER_AND_STATUS_LINES = 4;
const ROWS_FOR_GAP = 16;
/** From this many rows the health summary gets a line under the header (while the health view is closed). */
const ROWS_FOR_HEALTH_LINE = 30;
/** Caption, table heading (2), rule and total (2): the table's lines besides its rows. */
const TABLE_CHROME_LINES = 5;

export function Screen(props: ScreenProps) {
  // A new context value would re-render every themed component, memoized or not.
  const theme = useMemo(() => ({ color: props.color }), [props.color]);
  return <ThemeContext.Provider value={theme}>{props.columns < MIN_COLUMNS || props.rows < MIN_ROWS ? <TooSmall {...props} /> : <Layout {...props} />}</ThemeContext.Provider>;
}

function Layout(props: ScreenProps) {
  const { state, columns: width } = props;
  const height = props.rows - 1;
  const gap = props.rows >= ROWS_FOR_GAP ? 1 : 0;
  const health = state.health.report && summarizeHealth(state.health.report, state.nowMs);
  const healthLine = health && !state.health.open && props.rows >= ROWS_FOR_HEALTH_LINE ? 1 : 0;
  const scenarios = activeScenarios(state, state.nowMs);
  const scenarioLine = scenarios.length > 0 ? 1 : 0;
  const bodyLines = height - HEADER_AND_STATUS_LINES - gap - healthLine - scenarioLine;
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
        scenarios={scenarios}
      />
      {healthLine > 0 && health && <HealthLine summary={health} width={width} audit={summarizeAudit(state.audit)} />}
      <Box flexDirection="column" flexGrow={1} marginTop={gap}>
        {state.helpOpen ? (
          <HelpOverlay control={props.control} keysActive={props.keysActive} width={width} height={bodyLines} />
        ) : state.anomaliesOpen ? (
          <AnomaliesView windows={visibleWindows(state)} width={width} height={bodyLines} />
        ) : state.health.open ? (
          <HealthView summary={health} width={width} height={bodyLines} nowMs={state.nowMs} audit={summarizeAudit(state.audit)} />
        ) : (
          <Main
            windows={state.windows}
            openWindow={state.openWindow}
            frozen={state.frozen}
            selectedEndMs={state.selectedEndMs}
            filter={state.filter}
            sort={state.sort}
            historyLimit={state.historyLimit}
            connection={state.connection}
            problems={state.problems}
            startedAtMs={state.startedAtMs}
            audits={shownAudits(state.audit)}
            cursor={state.cursor}
            width={width}
            lines={bodyLines}
          />
        )}
      </Box>
      <StatusLine problems={summarizeProblems(state, state.nowMs)} notice={state.notice} nowMs={state.nowMs} news={brokerResetNews(state.brokerReset, state.nowMs)} />
      <KeyHints width={width} control={props.control} keysActive={props.keysActive} filter={state.filter} />
    </Box>
  );
}

function AnomaliesView({ windows, width, height }: { windows: TuiState['windows']; width: number; height: number }) {
  const anomalies = anomaliesSeen(windows, knownCategories(windows));
  return <AnomaliesOverlay anomalies={anomalies} windowsKept={windows.filter(isComplete).length} width={width} height={height} />;
}

interface MainProps extends ViewState, Pick<TuiState, 'historyLimit' | 'connection' | 'problems' | 'startedAtMs' | 'cursor'> {
  /** Only the audits, not the audit's progress, which changes every second. */
  audits: ReturnType<typeof shownAudits>;
  width: number;
  /** Lines between the header and the status line. */
  lines: number;
}

/**
 * The table and the chart. Memoized on the parts of the state they show, so the frames that only
 * bring a generator status or a clock tick do not rebuild them.
 */
const Main = memo(function Main(props: MainProps) {
  const { width, lines } = props;
  const maxRows = Math.max(1, lines - TABLE_CHROME_LINES);
  const { view, open, columns, chart } = plan(props, width, maxRows, props.historyLimit);
  if (!view) return <Waiting connection={props.connection} problems={props.problems} />;
  if (open) {
    return (
      <>
        <OpenWindowCaption open={open} width={width} filter={props.filter} frozen={props.frozen !== undefined} />
        <WindowTable view={view} columns={columns} sort={props.sort} filter={props.filter.text} maxRows={maxRows} cursor={props.cursor} />
      </>
    );
  }
  return (
    <>
      <WindowCaption
        view={view}
        width={width}
        filter={props.filter}
        frozen={props.frozen !== undefined}
        startedAtMs={props.startedAtMs}
        audit={auditMark(props.audits, view.entry, knownCategories(visibleWindows(props)))}
      />
      <WindowTable view={view} columns={columns} sort={props.sort} filter={props.filter.text} maxRows={maxRows} cursor={props.cursor} />
      {chart && <WindowChart chart={view.chart} plan={chart} />}
    </>
  );
});

interface Plan {
  view: WindowView | undefined;
  /** Set when the view is the open window's figures so far (no window has closed yet). */
  open: OpenWindowEntry | undefined;
  columns: PlannedColumn[];
  chart: ChartPlan | undefined;
}

/**
 * Columns fit the names and the windows kept; sparkline and chart are as long as their space, and the
 * chart as tall as the lines the table leaves. The open window has no history: no chart.
 */
function plan(state: ViewState, width: number, maxRows: number, historyLimit: number): Plan {
  const open = visibleOpenWindow(state);
  const names = open ? [...open.results.values()].map((result) => result.category_name) : knownCategories(visibleWindows(state)).values();
  let longestName = 0;
  for (const name of names) longestName = Math.max(longestName, displayWidth(name));
  const columns = planColumns({ width, longestName, historyLimit });
  if (open) return { view: buildOpenView(open, state), open, columns, chart: undefined };
  const trendSlots = columns.find((c) => c.def.id === 'trend')?.width ?? 0;
  const view = buildWindowView(state, { trendSlots, chartSlots: chartColumns(width, historyLimit).slots });
  // A table without rows still takes a line, to say that nothing matches the filter.
  const tableRows = Math.max(1, Math.min(view?.rows.length ?? 0, maxRows));
  return { view, open, columns, chart: planChart(width, maxRows - tableRows, historyLimit) };
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

/** Wrapped, the size it needs first, so even a terminal a few columns wide shows what to do. */
function TooSmall({ columns, rows }: ScreenProps) {
  return (
    <Box width={columns} height={Math.max(1, rows - 1)} overflow="hidden">
      <Text wrap="wrap">
        emart-tui needs {MIN_COLUMNS}×{MIN_ROWS}; this terminal is {columns}×{rows}. Enlarge it, or q quits.
      </Text>
    </Box>
  );
}
