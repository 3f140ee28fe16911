/**
 * A tiny text-table formatter for the example scripts: no dependency, no colours.
 *
 * @since 0.1.0
 */

/**
 * A column: its header and how to align it (`right` suits numbers).
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly header: string
  readonly align?: "left" | "right"
}

/**
 * Formats rows as an aligned table: a header, a rule of dashes, then one line per row,
 * columns separated by two spaces, trailing spaces trimmed. A column given as a string is
 * left-aligned.
 *
 * @example
 * import { table } from "./table.js"
 * console.log(table(["Partner", { header: "Given", align: "right" }], [["Carla Chen", "4"]]))
 * // Partner     Given
 * // ----------  -----
 * // Carla Chen      4
 *
 * @since 0.1.0
 * @category formatting
 */
export const table = (
  columns: ReadonlyArray<string | Column>,
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  options: { readonly indent?: number } = {}
): string => {
  const cols = columns.map((c) => (typeof c === "string" ? { header: c, align: "left" as const } : c))
  const cells = rows.map((row) => cols.map((_, i) => String(row[i] ?? "")))
  const widths = cols.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)))
  const indent = " ".repeat(options.indent ?? 0)
  const line = (values: ReadonlyArray<string>) =>
    indent +
    values
      .map((v, i) => (cols[i]!.align === "right" ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()
  return [line(cols.map((c) => c.header)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join(
    "\n"
  )
}

/**
 * A section heading underlined with `=`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const heading = (title: string): string => `${title}\n${"=".repeat(title.length)}`
