/**
 * Text output for people: aligned tables and colours (only on a TTY, never with NO_COLOR).
 *
 * @internal
 */

const colourOn = (): boolean =>
  process.stdout.isTTY === true &&
  (process.env.NO_COLOR === undefined || process.env.NO_COLOR === "") &&
  process.env.TERM !== "dumb"

const paint =
  (code: string) =>
  (text: string): string =>
    colourOn() ? `\u001b[${code}m${text}\u001b[0m` : text

/** @internal */
export const bold = paint("1")
/** @internal */
export const dim = paint("2")
/** @internal */
export const red = paint("31")
/** @internal */
export const green = paint("32")
/** @internal */
export const yellow = paint("33")
/** @internal */
export const blue = paint("34")
/** @internal */
export const magenta = paint("35")

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes
const ansi = /\u001b\[[0-9;]*m/g
const visible = (s: string) => s.replace(ansi, "").length

/** @internal */
export interface Column {
  readonly header: string
  readonly align?: "left" | "right"
}

/** An aligned table; cells may hold colour codes. @internal */
export const table = (
  columns: ReadonlyArray<string | Column>,
  rows: ReadonlyArray<ReadonlyArray<string | number>>
): string => {
  const cols = columns.map((c) => (typeof c === "string" ? { header: c, align: "left" as const } : c))
  const cells = rows.map((r) => r.map((c) => String(c)))
  const widths = cols.map((c, i) => Math.max(c.header.length, ...cells.map((r) => visible(r[i] ?? ""))))
  const line = (r: ReadonlyArray<string>, head = false) =>
    r
      .map((c, i) => {
        const pad = " ".repeat(Math.max(0, widths[i]! - visible(c)))
        const text = head ? bold(c) : c
        return cols[i]?.align === "right" ? pad + text : text + pad
      })
      .join("  ")
      .trimEnd()
  return [
    line(
      cols.map((c) => c.header),
      true
    ),
    ...cells.map((r) => line(r))
  ].join("\n")
}

/** `YYYY-MM-DD`. @internal */
export const day = (d: Date | null | undefined): string => (d == null ? "-" : d.toISOString().slice(0, 10))

/** "3 days overdue", "today", "in 4 days". @internal */
export const overdue = (days: number): string =>
  days === 0 ? "today" : days > 0 ? red(`${days}d overdue`) : `in ${-days}d`
