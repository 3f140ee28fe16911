/**
 * The week on one page: what is due, the outreach picks, the partners who changed quadrant
 * over the last 30 days, the one-sided relationships, and the matrix picture.
 *
 * @since 0.2.0
 */
import type { Agenda, Balance, Matrix, Outreach } from "@partnerbook/core"
import { Partnerbook } from "@partnerbook/core"
import { Effect } from "effect"
import * as MatrixSvg from "./MatrixSvg.js"

/**
 * A partner whose quadrant differs between `since` and `asOf`.
 *
 * @since 0.2.0
 * @category models
 */
export interface QuadrantMove {
  readonly partnerId: string
  readonly name: string
  readonly from: Matrix.Quadrant
  readonly to: Matrix.Quadrant
}

/**
 * The digest of a week.
 *
 * @since 0.2.0
 * @category models
 */
export interface Digest {
  readonly book: string
  readonly asOf: Date
  /** `asOf` minus 30 days: the matrix the moves are measured from. */
  readonly since: Date
  readonly due: ReadonlyArray<Agenda.Item>
  readonly outreach: ReadonlyArray<Outreach.Pick>
  readonly quadrantMoves: ReadonlyArray<QuadrantMove>
  readonly oneSided: ReadonlyArray<Balance.Report>
  readonly matrix: ReadonlyArray<Matrix.Placement>
}

/**
 * How far back the quadrant moves look.
 *
 * @since 0.2.0
 * @category constants
 */
export const movesDays = 30

/**
 * Builds the digest of the week containing `asOf`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (
  book: string,
  asOf: Date
): Effect.Effect<Digest, Partnerbook.PartnerbookError, Partnerbook.Partnerbook> =>
  Effect.gen(function* () {
    const service = yield* Partnerbook.Partnerbook
    const since = new Date(asOf.getTime() - movesDays * 86_400_000)
    const [matrix, before, due, rotation, balance] = yield* Effect.all([
      service.matrix(book, { asOf }),
      service.matrix(book, { asOf: since }),
      service.agenda(book, { asOf }),
      service.outreach(book, { weekOf: asOf }),
      service.balance(book, { asOf })
    ])
    const was = new Map(before.map((p) => [p.partnerId as string, p.quadrant] as const))
    const quadrantMoves = matrix.flatMap((p) => {
      const from = was.get(p.partnerId)
      return from !== undefined && from !== p.quadrant
        ? [{ partnerId: p.partnerId, name: p.name, from, to: p.quadrant }]
        : []
    })
    return {
      book,
      asOf,
      since,
      due,
      outreach: rotation.picks,
      quadrantMoves,
      oneSided: balance.filter((b) => b.state !== "balanced"),
      matrix
    }
  })

const xml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

const day = (d: Date | null): string => (d === null ? "never" : d.toISOString().slice(0, 10))

const table = (
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  empty: string
) =>
  rows.length === 0
    ? `<p class="empty">${xml(empty)}</p>`
    : `<table><thead><tr>${headers.map((h) => `<th>${xml(h)}</th>`).join("")}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${xml(String(c))}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`

/**
 * The digest as one standalone HTML page, the matrix picture embedded as inline SVG.
 *
 * @since 0.2.0
 * @category rendering
 */
export const html = (digest: Digest, options: { readonly title?: string } = {}): string => {
  const title = options.title ?? `Partnerbook: the week of ${day(digest.asOf)}`
  const svg = MatrixSvg.render(digest.matrix, { width: 1000, height: 720 }).replace(/^<\?xml[^>]*>\n/, "")
  const overdue = (n: number) => (n > 0 ? `${n} days overdue` : n === 0 ? "today" : `in ${-n} days`)
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${xml(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; color: #202124; max-width: 1060px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #dadce0; padding-bottom: 4px; }
p.meta { color: #5f6368; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f8f9fa; }
p.empty { color: #5f6368; font-style: italic; }
figure { margin: 0; }
svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${xml(title)}</h1>
<p class="meta">Book ${xml(digest.book)} · ${digest.matrix.length} partners · as of ${day(digest.asOf)}</p>
<h2 id="due">What is due (${digest.due.length})</h2>
${table(
  ["When", "Kind", "Partner", "Why"],
  digest.due.map((i) => [`${day(i.dueAt)} (${overdue(i.overdueDays)})`, i.kind, i.name, i.reason]),
  "Nothing is due."
)}
<h2 id="outreach">Outreach this week (${digest.outreach.length})</h2>
${table(
  ["Partner", "Quadrant", "Last contact", "Why"],
  digest.outreach.map((p) => [p.name, p.quadrant, day(p.lastContactAt), p.reason]),
  "Nobody to reach out to."
)}
<h2 id="moves">Quadrant changes since ${day(digest.since)} (${digest.quadrantMoves.length})</h2>
${table(
  ["Partner", "From", "To"],
  digest.quadrantMoves.map((m) => [m.name, m.from, m.to]),
  "No partner changed quadrant."
)}
<h2 id="one-sided">One-sided relationships (${digest.oneSided.length})</h2>
${table(
  ["Partner", "Given", "Received", "State", "What to do"],
  digest.oneSided.map((b) => [
    b.name,
    b.given,
    b.received,
    b.state + (b.persistent ? " (persistent)" : ""),
    b.message
  ]),
  "Every relationship is balanced."
)}
<h2 id="matrix">The Referral Partner Matrix</h2>
<figure>
${svg}
</figure>
</body>
</html>
`
}
