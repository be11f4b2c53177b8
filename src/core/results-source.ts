/**
 * What the terminal UI reads from: window results, generator status and connection state, plus a way to
 * steer the generator. The embedded engine and the Kafka-backed source both implement it, so the UI has
 * one code path.
 */
import type { WindowAudit } from '../engine/auditor.js';
import type { Health } from './health.js';
import type { ControlCommand, GeneratorStatus, WindowResult } from './schemas.js';

export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'reconnecting'; message: string }
  | { state: 'error'; message: string };

export type ProblemKind = 'invalid-order' | 'late-order' | 'bad-record' | 'broker' | 'control' | 'audit';

export interface Problem {
  kind: ProblemKind;
  message: string;
  atMs: number;
}

export type SourceEvent =
  | { type: 'result'; result: WindowResult; receivedAtMs: number }
  | { type: 'status'; status: GeneratorStatus }
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'problem'; problem: Problem }
  /** The broker came back empty (a new cluster: topics, offsets and commits gone); Kafka mode only. */
  | { type: 'broker-reset'; reset: BrokerReset }
  /** The pipeline's health as far as this source can know it (src/core/health.ts); about once a second or two. */
  | { type: 'health'; health: Health }
  /** A settled window re-derived from the orders and compared with what was published (src/engine/auditor.ts). */
  | { type: 'audit'; audit: WindowAudit }
  /** How far the audit has got; about once a second while auditing, once with `on: false` when it stops. */
  | { type: 'audit-status'; status: AuditStatus }
  /**
   * The window that closes next, as far as it has got (about once a second). Only a source that runs the
   * pipeline itself can see into a window before it closes (embedded); over Kafka only closed windows
   * are ever seen, so the Kafka source never sends this.
   */
  | { type: 'open-window'; open: OpenWindowFigures };

/** A broker that came back without its data, as a source saw it. */
export interface BrokerReset {
  /** When the source first saw the new cluster, on its clock. */
  atMs: number;
  /** When the old cluster last answered: what was written between then and `atMs` may be lost. */
  lastSeenAtMs: number;
  /** The topics the source created again (others may have been created by other processes first). */
  createdTopics: string[];
}

/**
 * An open window's figures so far: its results as they would be if it closed now, in the shape of a
 * closed window's results. Not final and never published: orders may still come for it.
 */
export interface OpenWindowFigures {
  startMs: number;
  endMs: number;
  /** One per category with orders so far, in category order. */
  results: WindowResult[];
  /** When the figures were taken, on the source's clock. */
  atMs: number;
  /** When the watermark should pass its end, if orders keep coming: its end plus the allowed lateness. */
  closesAtMs: number;
}

/** The audit's progress: whether it keeps up with the orders, and what it has still to settle. */
export interface AuditStatus {
  on: boolean;
  /** Orders the audit re-derived so far. */
  orders: number;
  /** Orders written but not yet read by the audit; 0 where it reads them as they are made (embedded). */
  behindOrders: number;
  /** Windows with orders or results that are not settled yet. */
  pendingWindows: number;
}

export type SourceListener = (event: SourceEvent) => void;

export interface ResultsSource {
  /** One line for a header, e.g. "embedded · 10s windows" or "kafka 127.0.0.1:9092 · emart-results". */
  readonly description: string;
  subscribe(listener: SourceListener): () => void;
  control(command: ControlCommand): Promise<void>;
  /** Starts or stops re-deriving every window from the orders; absent where the source cannot read them. */
  setAudit?(on: boolean): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The subscriber set behind `ResultsSource.subscribe`, shared by its implementations. */
export class Listeners {
  private readonly listeners = new Set<SourceListener>();

  add(listener: SourceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SourceEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
