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
  /** Cells longer than this wrap onto extra lines of the same row, at spaces where possible. */
  readonly maxWidth?: number
}

/**
 * Splits text into lines of at most `width` characters, breaking at spaces; a word longer
 * than `width` is cut. White space runs (new lines included) count as one space.
 *
 * @since 0.1.0
 * @category formatting
 */
export const wrapLines = (text: string, width: number): Array<string> => {
  const lines: Array<string> = []
  let current = ""
  for (let word of text.split(/\s+/).filter((w) => w.length > 0)) {
    while (word.length > width) {
      if (current.length > 0) lines.push(current)
      lines.push(word.slice(0, width))
      word = word.slice(width)
      current = ""
    }
    if (current.length === 0) current = word
    else if (current.length + 1 + word.length <= width) current += ` ${word}`
    else {
      lines.push(current)
      current = word
    }
  }
  if (current.length > 0 || lines.length === 0) lines.push(current)
  return lines
}

/**
 * A paragraph wrapped to `width` characters (default 110): the first line starts with
 * `indent`, the next ones with `hanging` (default: as many spaces as `indent` is long).
 *
 * @example
 * import { wrap } from "./table.js"
 * console.log(wrap("a long line of advice that goes on", { width: 20, indent: "  - " }))
 * //   - a long line of
 * //     advice that goes
 * //     on
 *
 * @since 0.1.0
 * @category formatting
 */
export const wrap = (
  text: string,
  options: { readonly width?: number; readonly indent?: string; readonly hanging?: string } = {}
): string => {
  const indent = options.indent ?? ""
  const hanging = options.hanging ?? " ".repeat(indent.length)
  const width = Math.max(1, (options.width ?? 110) - Math.max(indent.length, hanging.length))
  return wrapLines(text, width)
    .map((l, i) => `${i === 0 ? indent : hanging}${l}`.trimEnd())
    .join("\n")
}

/**
 * Formats rows as an aligned table: a header, a rule of dashes, then one line per row,
 * columns separated by two spaces, trailing spaces trimmed. A column given as a string is
 * left-aligned; a column with a `maxWidth` wraps its longer cells onto extra lines.
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
  const cols: ReadonlyArray<Column> = columns.map((c) => (typeof c === "string" ? { header: c } : c))
  const cells = rows.flatMap((row) => {
    const parts = cols.map((c, i) => {
      const text = String(row[i] ?? "")
      return c.maxWidth !== undefined && text.length > c.maxWidth ? wrapLines(text, c.maxWidth) : [text]
    })
    const height = Math.max(...parts.map((p) => p.length))
    return Array.from({ length: height }, (_, k) => parts.map((p) => p[k] ?? ""))
  })
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
