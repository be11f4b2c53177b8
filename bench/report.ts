/** Benchmark figures: printed as a table for people and as JSON for machines. Never asserted in tests. */

export interface Figure {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
  meetsTarget?: boolean;
}

export function printFigures(figures: readonly Figure[]): void {
  const rows = figures.map((f) => [f.benchmark, f.metric, formatValue(f.value), f.unit, f.target ?? '', f.meetsTarget === undefined ? '' : f.meetsTarget ? 'yes' : 'NO']);
  const header = ['benchmark', 'metric', 'value', 'unit', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  console.log(JSON.stringify({ figures }, null, 2));
}

function formatValue(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

export function measureHeap(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}
