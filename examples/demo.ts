/**
 * The demo: builds the sample book from the seed articles' scenarios and prints what the
 * rules say about it. Run it with `pnpm demo`. The as-of date is fixed (2026-11-23), so the
 * output is the same on every machine and every day.
 *
 * To show another rule, add a section function below and call it from `main`.
 */
import { Balance, Matrix, Profession } from "@partnerbook/core"
import { demoAsOf, type SampleBook, sampleBook } from "./sampleBook.js"
import { heading, table } from "./table.js"

const day = (date: Date): string => date.toISOString().slice(0, 10)

const quadrantTitles: Record<Matrix.Quadrant, string> = {
  core: "CORE: high alignment, high activity",
  opportunity: "OPPORTUNITY: high alignment, low activity",
  generous: "GENEROUS: low alignment, high activity",
  casual: "CASUAL: low alignment, low activity"
}

const sourceLabel: Record<Matrix.AlignmentSource, string> = {
  manual: "set by hand",
  "ideal-client": "ideal clients",
  unknown: "unknown"
}

const professionOf = (book: SampleBook) => {
  const byId = new Map(book.partners.map((p) => [p.id as string, p.profession] as const))
  return (id: string) => {
    const profession = byId.get(id)
    return profession === undefined ? "" : Profession.label(Profession.defaultTaxonomy, profession)
  }
}

const matrixSection = (book: SampleBook, asOf: Date): string => {
  const placements = Matrix.build({
    partners: book.partners,
    referrals: book.referrals,
    asOf,
    profile: book.profile
  })
  const profession = professionOf(book)
  const { alignment, activity } = Matrix.defaultThresholds
  const out = [
    heading("Referral Partner Matrix"),
    `High alignment: >= ${alignment.toFixed(2)}. High activity: >= ${activity} referrals, both directions, in the last ${Matrix.defaultWindowDays} days.`
  ]
  const groups = Matrix.byQuadrant(placements)
  for (const quadrant of Matrix.quadrants) {
    const group = groups[quadrant]
    out.push("", `${quadrantTitles[quadrant]} (${group.length})`)
    if (group.length === 0) {
      out.push("  (nobody)")
      continue
    }
    out.push(
      table(
        [
          "Partner",
          "Profession",
          { header: "Alignment", align: "right" },
          "Source",
          { header: "Given", align: "right" },
          { header: "Received", align: "right" },
          { header: "Activity", align: "right" }
        ],
        group.map((p) => [
          p.name,
          profession(p.partnerId),
          p.alignment === null ? "?" : p.alignment.toFixed(2),
          sourceLabel[p.alignmentSource],
          p.given,
          p.received,
          p.activity
        ]),
        { indent: 2 }
      ),
      "  Why:"
    )
    for (const p of group) out.push(`    ${p.name}: ${p.reasons.join("; ")}`)
    out.push("  What to do:")
    for (const action of Matrix.actions[quadrant]) out.push(`    - ${action}`)
  }
  return out.join("\n")
}

const stateLabel: Record<Balance.State, string> = {
  balanced: "balanced",
  "giving-more": "giving more",
  "receiving-more": "receiving more"
}

const balanceSection = (book: SampleBook, asOf: Date): string => {
  const reports = Balance.report({
    partners: book.partners,
    referrals: book.referrals,
    interactions: book.interactions,
    asOf
  })
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n))
  const out = [
    heading("Balance: given vs received"),
    `Last 365 days. Judged from ${Balance.defaultRules.minTotal} referrals on; flagged when one side is more than ${Balance.defaultRules.maxRatio} times the other.`,
    `Persistent: the same imbalance also held ${Balance.defaultCheckpoints.map((d) => `${d}`).join(" and ")} days earlier.`,
    "",
    table(
      [
        "Partner",
        { header: "Given", align: "right" },
        { header: "Received", align: "right" },
        { header: "Net", align: "right" },
        "State",
        "Persistent",
        "Advice"
      ],
      reports.map((r) => [
        r.name,
        r.given,
        r.received,
        signed(r.net),
        stateLabel[r.state],
        r.persistent ? "yes" : "",
        r.advice === "none" ? "" : r.advice
      ]),
      { indent: 2 }
    )
  ]
  const flagged = reports.filter((r) => r.state !== "balanced")
  if (flagged.length > 0) {
    out.push("", "  What to do:")
    for (const r of flagged) out.push(`    - ${r.message}`)
  }
  return out.join("\n")
}

const main = () => {
  const asOf = demoAsOf
  const book = sampleBook(asOf)
  const owner = book.profile
  console.log(
    [
      `Partnerbook demo: the book of ${owner.name}, ${Profession.label(Profession.defaultTaxonomy, owner.profession).toLowerCase()}, as of ${day(asOf)}`,
      `${book.partners.length} partners, ${book.referrals.length} referrals, ${book.interactions.length} interactions, ${book.clients.length} new clients.`,
      "",
      matrixSection(book, asOf),
      "",
      balanceSection(book, asOf)
    ].join("\n")
  )
}

main()
