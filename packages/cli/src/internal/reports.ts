/**
 * The human views of each report: aligned tables, a line of context, colours on a TTY.
 *
 * @internal
 */
import type { Agenda, Balance, Discovery, Health, Matrix, Outreach, Partner } from "@partnerbook/core"
import { bold, day, dim, green, overdue, red, table, yellow } from "./text.js"

const quadrantName: Record<Matrix.Quadrant, string> = {
  core: "CORE (high alignment, high activity)",
  opportunity: "OPPORTUNITY (high alignment, low activity)",
  generous: "GENEROUS (low alignment, high activity)",
  casual: "CASUAL (low alignment, low activity)"
}

/** @internal */
export const partners = (list: ReadonlyArray<Partner.Partner>): string =>
  list.length === 0
    ? 'No partners yet. Add one: partnerbook partner add --name "Dana Smith" --profession cpa'
    : table(
        [
          "Id",
          "Name",
          "Profession",
          "Kind",
          "Stage",
          { header: "Alignment", align: "right" },
          { header: "Cadence", align: "right" }
        ],
        list.map((p) => [
          p.id,
          p.name,
          p.profession,
          p.kind,
          p.stage,
          p.alignment === undefined ? "-" : p.alignment.toFixed(2),
          p.cadenceDays === undefined ? "-" : `${p.cadenceDays}d`
        ])
      )

/** @internal */
export const partner = (p: Partner.Partner): string =>
  `${bold(p.name)} (${p.id}): ${p.profession}, ${p.kind}, stage ${p.stage}` +
  (p.organization === undefined ? "" : `, ${p.organization}`) +
  (p.alignment === undefined ? "" : `, alignment ${p.alignment}`) +
  (p.cadenceDays === undefined ? "" : `, check in every ${p.cadenceDays} days`)

/** @internal */
export const matrix = (placements: ReadonlyArray<Matrix.Placement>): string => {
  if (placements.length === 0) return "No partners yet: the matrix is empty."
  const t = placements[0]!.thresholds
  const out = [
    dim(
      `High alignment >= ${t.alignment}; high activity >= ${t.activity} referrals both ways in the last 365 days.`
    )
  ]
  for (const q of ["core", "opportunity", "generous", "casual"] as const) {
    const group = placements.filter((p) => p.quadrant === q)
    out.push("", bold(`${quadrantName[q]}: ${group.length}`))
    if (group.length === 0) continue
    out.push(
      table(
        [
          "Partner",
          { header: "Alignment", align: "right" },
          { header: "Given", align: "right" },
          { header: "Received", align: "right" },
          { header: "Activity", align: "right" }
        ],
        group.map((p) => [
          p.name,
          p.alignment === null ? "?" : p.alignment.toFixed(2),
          p.given,
          p.received,
          p.activity
        ])
      ),
      dim(`What to do: ${group[0]!.actions.join(" ")}`)
    )
  }
  return out.join("\n")
}

const stateText = (s: Balance.State) =>
  s === "balanced"
    ? green("balanced")
    : s === "giving-more"
      ? yellow("giving more")
      : yellow("receiving more")

/** @internal */
export const balance = (reports: ReadonlyArray<Balance.Report>): string =>
  reports.length === 0
    ? "No partners yet."
    : [
        table(
          [
            "Partner",
            { header: "Given", align: "right" },
            { header: "Received", align: "right" },
            { header: "Net", align: "right" },
            "State",
            "Persistent"
          ],
          reports.map((r) => [
            r.name,
            r.given,
            r.received,
            r.net > 0 ? `+${r.net}` : r.net,
            stateText(r.state),
            r.persistent ? "yes" : ""
          ])
        ),
        ...reports.filter((r) => r.state !== "balanced").map((r) => `- ${r.message}`)
      ].join("\n")

/** @internal */
export const agenda = (items: ReadonlyArray<Agenda.Item>): string =>
  items.length === 0
    ? "Nothing is due."
    : table(
        ["Due", "When", "Kind", "Partner", "Why"],
        items.map((i) => [day(i.dueAt), overdue(i.overdueDays), i.kind, i.name, i.reason])
      )

/** @internal */
export const outreach = (rotation: Outreach.Rotation): string =>
  rotation.picks.length === 0
    ? "Nobody to reach out to: no partner is in the rotation."
    : [
        dim(
          `Week of ${day(rotation.weekStart)}: week ${rotation.week + 1} of ${rotation.weeks} of the rotation.`
        ),
        table(
          ["Partner", "Quadrant", "Last contact", "Why"],
          rotation.picks.map((p) => [
            p.name,
            p.quadrant,
            p.lastContactAt === null ? "never" : day(p.lastContactAt),
            p.reason
          ])
        )
      ].join("\n")

const light = (l: Health.Light) =>
  l === "green" ? green("green") : l === "yellow" ? yellow("yellow") : red("red")

/** @internal */
export const health = (reports: ReadonlyArray<Health.Report>): string =>
  reports.length === 0
    ? "No partners yet."
    : table(
        ["Partner", "Quadrant", { header: "Score", align: "right" }, "Light", "Summary"],
        reports.map((r) => [r.name, r.quadrant, r.score, light(r.light), r.summary])
      )

/** @internal */
export const discover = (d: Discovery.Discovery): string =>
  [
    bold("Who else serves my ideal client? (professions with no active partner)"),
    d.pairings.length === 0
      ? "  nobody missing"
      : table(
          ["Profession", "Why"],
          d.pairings.map((p) => [p.label, p.reason])
        ),
    "",
    bold("Who do my clients ask me about?"),
    d.askedAbout.length === 0
      ? "  nobody asked"
      : table(
          ["Profession", { header: "Clients", align: "right" }, "Covered"],
          d.askedAbout.map((a) => [a.label, a.clients, a.covered ? "yes" : red("no")])
        ),
    "",
    bold("Who already sends me clients informally?"),
    d.informalReferrers.length === 0
      ? "  nobody"
      : table(
          ["Contact", { header: "Clients", align: "right" }, "Latest"],
          d.informalReferrers.map((r) => [r.contact, r.clients, day(r.lastClientAt)])
        )
  ].join("\n")
