/**
 * What a benchmark module (`bench/*.bench.ts`) gets and returns. `npm run bench` (bench/run.ts) runs each
 * module's default export in turn and writes the sections to docs/benchmarks.md. Every number is compared with a
 * baseline measured in the same run, so results from different machines stay comparable as ratios.
 */
export interface BenchContext {
  /** Repository root (absolute). */
  root: string;
  /** A fresh temporary folder for this module; removed after it finishes. */
  tmpDir: string;
  /** Progress lines for the terminal (not written to the docs). */
  progress(message: string): void;
}

export interface BenchSection {
  title: string;
  /** A markdown table. */
  table: string;
  /** Short paragraphs under the table: what was measured, the ratio against the target, caveats. */
  notes: string[];
}

export { markdownTable } from "../../scripts/lib/markdown-table.ts";

export type BenchModule = (ctx: BenchContext) => Promise<BenchSection>;

/** Latency summary of a sample set in milliseconds. */
export interface Latency {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles (no interpolation: p99 of 2,000 samples is the 1,980th). */
export function summarize(samplesMs: readonly number[]): Latency {
  if (samplesMs.length === 0) throw new RangeError("no samples");
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: rank(50),
    p99: rank(99),
    mean: sum / sorted.length,
    max: sorted[sorted.length - 1],
  };
}

/**
 * Measures several operations side by side, one request in flight at a time (as a person pressing buttons
 * produces). They take turns in blocks of `block` samples, so slow drifts of a busy machine (other processes,
 * thermal limits) fall on every operation alike; the first `settle` calls of each block are not measured, so
 * the after-effects of the previous operation (its late events, its garbage) are not charged to the next one.
 * The run stops early at `maxMs` so a slow machine cannot hang it.
 */
export async function measureInterleaved(
  operations: readonly (() => Promise<unknown>)[],
  { warmup, count, maxMs, block = 20, settle = 5 }: MeasureOptions,
): Promise<number[][]> {
  for (const op of operations) for (let i = 0; i < warmup; i++) await op();
  const samples: number[][] = operations.map(() => []);
  const deadline = performance.now() + maxMs;
  while (samples.some((s) => s.length < count) && performance.now() < deadline) {
    for (const [j, op] of operations.entries()) {
      for (let i = 0; i < settle; i++) await op();
      for (let i = 0; i < block && samples[j].length < count; i++) {
        const t0 = performance.now();
        await op();
        samples[j].push(performance.now() - t0);
      }
    }
  }
  return samples;
}

export interface MeasureOptions {
  warmup: number;
  count: number;
  maxMs: number;
  block?: number;
  settle?: number;
}

export const ms = (v: number): string => (v < 1 ? v.toFixed(3) : v.toFixed(2));
export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
