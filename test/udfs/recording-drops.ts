import type { DropReporter } from '../../src/core/drop-reporter.js';

export interface RecordedDrop {
  reason: string;
  fields: Record<string, string>;
}

/** A drop reporter that keeps every drop, to compare with what the pure pipeline says. */
export function recordingDrops(): DropReporter & { drops: RecordedDrop[]; reasons: string[] } {
  const drops: RecordedDrop[] = [];
  return {
    drops,
    get reasons() {
      return drops.map((drop) => drop.reason);
    },
    drop: (reason, fields = {}) => void drops.push({ reason, fields }),
    get dropped() {
      return drops.length;
    },
    close: () => undefined,
  };
}
