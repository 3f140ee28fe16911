/**
 * `pnpm bench`: runs every benchmark of the repository and checks it against its target.
 *
 * - Discovers `packages/<name>/bench/<topic>.bench.ts` (sorted), imports each and calls its
 *   default export, `async () => ReadonlyArray<Entry>` (see tools/bench-kit/src/index.ts for the
 *   entry shape and the timing helpers: warmup, then the median of several runs).
 * - Writes every entry to `bench-results.json` at the root (ignored by git) as an array of
 *   `{ name, value, unit, baseline, ratio, target, better }`, prints the same as a table with
 *   a pass/fail column, and exits with 1 if any entry misses its target.
 * - `pnpm bench matrix` runs only the files whose path contains `matrix`.
 *
 * An entry with a baseline passes when `ratio = value / baseline` is within `target`; one with
 * no baseline (`null`) when `value` itself is. `better` says which side is within.
 *
 * Only node built-ins are used here: the root package depends on nothing else, and each
 * benchmark brings its own imports.
 */
import { readdirSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

interface Entry {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly baseline: number | null
  readonly ratio: number | null
  readonly target: number
  readonly better: "lower" | "higher"
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const filters = process.argv.slice(2)

const discover = (): Array<string> => {
  const packages = join(root, "packages")
  const files: Array<string> = []
  for (const name of readdirSync(packages).sort()) {
    const bench = join(packages, name, "bench")
    if (!statSync(bench, { throwIfNoEntry: false })?.isDirectory()) continue
    for (const file of readdirSync(bench).sort()) {
      if (file.endsWith(".bench.ts")) files.push(join(bench, file))
    }
  }
  return files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
}

const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x)

/** Checks the shape of an entry and recomputes its ratio, so a bench cannot misreport it. */
const validate = (file: string, x: unknown): Entry => {
  const e = x as Partial<Record<keyof Entry, unknown>>
  const problem =
    typeof e?.name !== "string" || e.name.length === 0
      ? "name must be a non-empty string"
      : !isNumber(e.value)
        ? "value must be a finite number"
        : typeof e.unit !== "string"
          ? "unit must be a string"
          : !(e.baseline === null || (isNumber(e.baseline) && e.baseline > 0))
            ? "baseline must be a positive number or null"
            : !isNumber(e.target)
              ? "target must be a finite number"
              : e.better !== "lower" && e.better !== "higher"
                ? 'better must be "lower" or "higher"'
                : undefined
  if (problem !== undefined) throw new Error(`${file}: invalid entry ${JSON.stringify(x)}: ${problem}`)
  const baseline = e.baseline as number | null
  return {
    name: e.name as string,
    value: e.value as number,
    unit: e.unit as string,
    baseline,
    ratio: baseline === null ? null : (e.value as number) / baseline,
    target: e.target as number,
    better: e.better as "lower" | "higher"
  }
}

const passes = (e: Entry): boolean => {
  const measured = e.ratio ?? e.value
  return e.better === "lower" ? measured <= e.target : measured >= e.target
}

const format = (n: number): string =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d.x<>=-]*$/.test(r[i]!)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

const main = async () => {
  const files = discover()
  if (files.length === 0) {
    console.error(`No benchmark found${filters.length > 0 ? ` matching ${filters.join(", ")}` : ""}.`)
    process.exit(1)
  }
  const entries: Array<Entry> = []
  for (const file of files) {
    const name = relative(root, file)
    console.error(`running ${name} ...`)
    const started = Date.now()
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown }
    if (typeof module.default !== "function") throw new Error(`${name}: no default export function`)
    const result = (await (module.default as () => Promise<unknown>)()) as unknown
    if (!Array.isArray(result)) throw new Error(`${name}: the default export must return an array of entries`)
    for (const x of result) entries.push(validate(name, x))
    console.error(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  writeFileSync(join(root, "bench-results.json"), `${JSON.stringify(entries, null, 2)}\n`)
  console.log(
    table(
      ["benchmark", "value", "unit", "baseline", "ratio", "target", "result"],
      entries.map((e) => [
        e.name,
        format(e.value),
        e.unit,
        e.baseline === null ? "-" : format(e.baseline),
        e.ratio === null ? "-" : `${e.ratio.toFixed(2)}x`,
        `${e.better === "lower" ? "<=" : ">="} ${e.target}${e.ratio === null ? "" : "x"}`,
        passes(e) ? "pass" : "FAIL"
      ])
    )
  )
  const failed = entries.filter((e) => !passes(e))
  console.log(
    `\n${entries.length - failed.length} of ${entries.length} within target; results in bench-results.json`
  )
  if (failed.length > 0) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
})
