/**
 * An in-memory ResultsSource for tests: replays a fixed script of events when started, records every
 * control command, and (like a real generator) answers a command with an updated status.
 */
import { type ResultsSource, type SourceEvent, type SourceListener } from '../../../src/core/results-source.js';
import type { ControlCommand, GeneratorStatus } from '../../../src/core/schemas.js';

export interface FakeSourceOptions {
  description?: string;
  script?: readonly SourceEvent[];
  /** Answer control commands with a status, as the embedded engine does. */
  echoStatus?: boolean;
}

export class FakeSource implements ResultsSource {
  readonly description: string;
  readonly commands: ControlCommand[] = [];
  started = 0;
  stopped = 0;
  /** Listeners now subscribed: zero again once the screen has unmounted (after q, for instance). */
  subscribers = 0;
  private readonly listeners = new Set<SourceListener>();
  private status: GeneratorStatus | undefined;

  constructor(private readonly options: FakeSourceOptions = {}) {
    this.description = options.description ?? 'embedded · 10s windows';
  }

  subscribe(listener: SourceListener): () => void {
    this.listeners.add(listener);
    this.subscribers = this.listeners.size;
    return () => {
      this.listeners.delete(listener);
      this.subscribers = this.listeners.size;
    };
  }

  async start(): Promise<void> {
    this.started += 1;
    for (const event of this.options.script ?? []) this.emit(event);
  }

  async stop(): Promise<void> {
    this.stopped += 1;
  }

  async control(command: ControlCommand): Promise<void> {
    this.commands.push(command);
    if (!this.options.echoStatus || !this.status) return;
    this.status = command.command === 'set-rate' ? { ...this.status, target_rate: command.rate } : { ...this.status, paused: command.command === 'pause' };
    this.emit({ type: 'status', status: this.status });
  }

  emit(event: SourceEvent): void {
    if (event.type === 'status') this.status = event.status;
    for (const listener of this.listeners) listener(event);
  }
}
