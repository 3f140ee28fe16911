/**
 * Helpers for the benchmarks of this package, run by `pnpm bench` (scripts/bench.ts).
 *
 * The contract between a benchmark file and the runner is the runtime shape of {@link Entry},
 * which the runner checks; nothing is imported across packages. A package that adds benchmarks
 * keeps its own copy of this small file in its `bench/` folder (a relative import of another
 * package's file would fall outside that package's TypeScript project).
 *
 * A benchmark file is `packages/<name>/bench/<topic>.bench.ts` and its default export is
 * `async () => ReadonlyArray<Entry>`.
 */

/** One measurement, as written to `bench-results.json`. */
export interface Entry {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** The physical limit, measured in the same process with the same unit; `null` when there is none. */
  readonly baseline: number | null
  /** `value / baseline`, or `null` without a baseline. */
  readonly ratio: number | null
  /** Bounds `ratio`, or `value` itself when there is no baseline. */
  readonly target: number
  readonly better: "lower" | "higher"
}

/** How long one call took, in milliseconds. */
const once = (f: () => unknown): number => {
  const start = process.hrtime.bigint()
  sink = f()
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Results are kept here so that the engine cannot optimise the measured work away. */
export let sink: unknown

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Options of {@link time} and {@link compare}. */
export interface Options {
  /** Untimed runs first, so that the code is compiled and caches are warm (default 2). */
  readonly warmup?: number
  /** Timed runs; the median is reported (default 7). */
  readonly runs?: number
}

/** The median time of `f` in milliseconds, after warmup. */
export const time = (f: () => unknown, options: Options = {}): number => {
  for (let i = 0; i < (options.warmup ?? 2); i++) once(f)
  const samples: Array<number> = []
  for (let i = 0; i < (options.runs ?? 7); i++) samples.push(once(f))
  return median(samples)
}

/**
 * The median times of `subject` and `baseline` in milliseconds, with their runs interleaved
 * so that drift (thermal throttling, a noisy neighbour, the garbage collector) hits both alike.
 */
export const compare = (
  subject: () => unknown,
  baseline: () => unknown,
  options: Options = {}
): { readonly subject: number; readonly baseline: number } => {
  for (let i = 0; i < (options.warmup ?? 2); i++) {
    once(subject)
    once(baseline)
  }
  const a: Array<number> = []
  const b: Array<number> = []
  for (let i = 0; i < (options.runs ?? 7); i++) {
    a.push(once(subject))
    b.push(once(baseline))
  }
  return { subject: median(a), baseline: median(b) }
}

/** An entry measured against a baseline: the ratio is computed here. */
export const relative = (
  name: string,
  measured: { readonly subject: number; readonly baseline: number },
  unit: string,
  target: number,
  better: "lower" | "higher" = "lower"
): Entry => ({
  name,
  value: measured.subject,
  unit,
  baseline: measured.baseline,
  ratio: measured.subject / measured.baseline,
  target,
  better
})

/** An entry with no baseline: the target bounds the value itself. */
export const absolute = (
  name: string,
  value: number,
  unit: string,
  target: number,
  better: "lower" | "higher" = "lower"
): Entry => ({ name, value, unit, baseline: null, ratio: null, target, better })
