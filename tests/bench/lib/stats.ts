import { performance } from 'node:perf_hooks'

/** Summary of a set of timings, all in milliseconds. */
export interface Stats {
  n: number
  p50: number
  p95: number
  mean: number
  min: number
  max: number
}

/** One line of the final summary: a measured figure, its same-run baseline and the target. */
export interface SummaryRow {
  bench: string
  measure: string
  value: string
  baseline: string
  ratio: string
  target: string
  /** null when the line has no target. */
  met: boolean | null
}

/** What every benchmark file exports; the runner picks them by name. */
export interface Benchmark {
  name: string
  description: string
  run(): Promise<SummaryRow[]>
}

/** The p-th percentile (0..100) of already sorted values, by linear interpolation. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)
}

/** p50, p95, mean, min and max of timings in ms. */
export function summarize(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const sum = sorted.reduce((s, x) => s + x, 0)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sum / Math.max(1, sorted.length),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

/** Times `iterations` sequential awaited calls of `fn` after `warmup` unrecorded ones. */
export async function timeCalls(fn: () => Promise<unknown>, iterations: number, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn()
  const out = new Array<number>(iterations)
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now()
    await fn()
    out[i] = performance.now() - t0
  }
  return out
}

/** Milliseconds for humans: µs below 0.1 ms, seconds above 10 s. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-'
  if (ms < 0.1) return `${(ms * 1000).toFixed(1)} µs`
  if (ms < 10) return `${ms.toFixed(3)} ms`
  if (ms < 10_000) return `${ms.toFixed(1)} ms`
  return `${(ms / 1000).toFixed(2)} s`
}

/** A ratio such as `1.18x`. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return '-'
  return r >= 100 ? `${r.toFixed(0)}x` : `${r.toFixed(2)}x`
}

/** `p50 / p95 / mean` of a stats object. */
export function fmtStats(s: Stats): string {
  return `${fmtMs(s.p50)} / ${fmtMs(s.p95)} / ${fmtMs(s.mean)}`
}

/** The median of a few values (e.g. per-round totals). */
export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50)
}

// East Asian wide characters take two terminal columns.
function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1
  return w
}

/** Prints rows as an aligned text table under a header line. */
export function printTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c + ' '.repeat(widths[i]! - displayWidth(c))).join('  ').trimEnd()
  console.log(line(headers))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log(line(r))
}

/** Prints the summary rows of one or more benchmarks. */
export function printSummary(rows: readonly SummaryRow[]): void {
  printTable(
    ['benchmark', 'measure', 'value', 'baseline', 'ratio', 'target', 'met'],
    rows.map((r) => [r.bench, r.measure, r.value, r.baseline, r.ratio, r.target, r.met === null ? '' : r.met ? 'yes' : 'NO']),
  )
}

/** A verdict word for a target check. */
export function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED'
}
