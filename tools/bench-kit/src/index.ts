/**
 * Helpers for the benchmarks that `pnpm bench` (scripts/bench.ts) runs: the shape of a result
 * and interleaved, median-of-runs timing.
 *
 * A benchmark file is `packages/<name>/bench/<topic>.bench.ts`; its default export is
 * `async () => ReadonlyArray<Entry>`. The runner checks the runtime shape of every entry.
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

/** Results are kept here so that the engine cannot optimise the measured work away. */
export let sink: unknown

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/**
 * One run: an untimed setup that returns the work to time (in milliseconds) and, optionally,
 * an untimed cleanup.
 */
export type Run = () => Promise<{ readonly work: () => unknown; readonly done?: () => unknown }>

const once = async (run: Run): Promise<number> => {
  const { done, work } = await run()
  const start = process.hrtime.bigint()
  sink = await work()
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  await done?.()
  return ms
}

/** The median time of `run` in milliseconds, after warmup. */
export const time = async (run: Run, options: Options = {}): Promise<number> => {
  for (let i = 0; i < (options.warmup ?? 2); i++) await once(run)
  const samples: Array<number> = []
  for (let i = 0; i < (options.runs ?? 7); i++) samples.push(await once(run))
  return median(samples)
}

/** Options of {@link compare} and {@link time}. */
export interface Options {
  /** Untimed runs first, so that the code is compiled and caches are warm (default 2). */
  readonly warmup?: number
  /** Timed runs; the median is reported (default 7). */
  readonly runs?: number
}

/**
 * The median times of `subject` and `baseline` in milliseconds, with their runs interleaved
 * so that drift (a noisy neighbour, the garbage collector, the disk) hits both alike.
 */
export const compare = async (
  subject: Run,
  baseline: Run,
  options: Options = {}
): Promise<{ readonly subject: number; readonly baseline: number }> => {
  for (let i = 0; i < (options.warmup ?? 2); i++) {
    await once(subject)
    await once(baseline)
  }
  const a: Array<number> = []
  const b: Array<number> = []
  for (let i = 0; i < (options.runs ?? 7); i++) {
    a.push(await once(subject))
    b.push(await once(baseline))
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

/** A {@link Run} with no setup: time `work` itself. */
export const run =
  (work: () => unknown): Run =>
  async () => ({ work })
