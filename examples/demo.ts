/**
 * The demo: builds the sample book from the seed articles' scenarios, loads it into a
 * Partnerbook (an in-memory store, through the Promise API) and prints what every rule says
 * about it: the matrix, the balances, the agenda, the outreach rotation, health, progression,
 * the portfolio and discovery. Run it with `pnpm demo`. The as-of date is fixed (2026-11-23),
 * so the output is the same on every machine and every day.
 *
 * Every result comes from the service (`book.matrix`, `book.agenda`, ...), not from the pure
 * functions, so the demo also shows that each rule is reachable from it. To show another
 * rule, fetch its result in `main` and add a section function below.
 */
import {
  Agenda,
  Balance,
  Book,
  BookDocument,
  type Compliance,
  Discovery,
  Health,
  Matrix,
  Outreach,
  Partner,
  PartnerbookClient,
  Portfolio,
  Profession,
  Progression,
  Store
} from "@partnerbook/core"
import { Order } from "effect"
import { SampleBook } from "partnerbook"
import { heading, table, wrap } from "./table.js"

/** Lists and reasons wrap at this width, and tables stay under about 140 characters. */
const WIDTH = 130
/** Explanations wrap at this width: easier to read than a full line. */
const PROSE = 110

const DAY_MS = 86_400_000

const day = (date: Date): string => date.toISOString().slice(0, 10)

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

const para = (text: string, indent = ""): string => wrap(text, { width: PROSE, indent })

const bullet = (text: string, indent = "    "): string =>
  wrap(text, { width: WIDTH, indent: `${indent}- `, hanging: `${indent}  ` })

/** What the sections share: the partners as the service lists them, and the profession labels. */
interface Context {
  readonly asOf: Date
  readonly partners: ReadonlyArray<Partner.Partner>
  readonly byId: ReadonlyMap<string, Partner.Partner>
  readonly profession: (id: Profession.ProfessionId | undefined) => string
}

const makeContext = (asOf: Date, partners: ReadonlyArray<Partner.Partner>): Context => {
  const byId = new Map(partners.map((p) => [p.id as string, p] as const))
  return {
    asOf,
    partners,
    byId,
    profession: (id) => (id === undefined ? "" : Profession.label(Profession.defaultTaxonomy, id))
  }
}

// ---------------------------------------------------------------------------------------
// Referral Partner Matrix
// ---------------------------------------------------------------------------------------

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

/** Reasons on one line when they fit, else one reason a line (each wrapped if it must be). */
const reasonLines = (lead: string, reasons: ReadonlyArray<string>): string => {
  const oneLine = `    ${lead}${reasons.join("; ")}`
  if (oneLine.length <= WIDTH) return oneLine
  return reasons
    .map((r, i) =>
      wrap(`${i === 0 ? lead : ""}${r}${i < reasons.length - 1 ? ";" : ""}`, {
        width: WIDTH,
        indent: i === 0 ? "    " : "      ",
        hanging: "      "
      })
    )
    .join("\n")
}

const matrixSection = (ctx: Context, placements: ReadonlyArray<Matrix.Placement>): string => {
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
          ctx.profession(ctx.byId.get(p.partnerId)?.profession),
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
    for (const p of group) out.push(reasonLines(`${p.name}: `, p.reasons))
    out.push("  What to do:")
    for (const action of group[0]!.actions) out.push(bullet(action))
  }
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------
// Balance
// ---------------------------------------------------------------------------------------

const stateLabel: Record<Balance.State, string> = {
  balanced: "balanced",
  "giving-more": "giving more",
  "receiving-more": "receiving more"
}

const balanceSection = (reports: ReadonlyArray<Balance.Report>): string => {
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
    for (const r of flagged) out.push(bullet(r.message))
  }
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------
// Agenda
// ---------------------------------------------------------------------------------------

/** How many agenda items the table shows; the rest are summed up in one line. */
const AGENDA_SHOWN = 15

const overdue = (days: number): string =>
  days === 0 ? "today" : days > 0 ? plural(days, "day") : `in ${plural(-days, "day")}`

/** The same, for prose: "12 days overdue", "due today", "due in 3 days". */
const lateness = (days: number): string =>
  days === 0 ? "due today" : days > 0 ? `${plural(days, "day")} overdue` : `due in ${plural(-days, "day")}`

const byKind = (items: ReadonlyArray<Agenda.Item>): string =>
  Agenda.kinds
    .map((kind) => [kind, items.filter((i) => i.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(", ")

const agendaSection = (ctx: Context, items: ReadonlyArray<Agenda.Item>): string => {
  const d = Agenda.defaults
  const c = Agenda.defaultCadenceDays
  const out = [
    heading("Agenda: what is due this week"),
    para(
      `Everything due as of ${day(ctx.asOf)}, and what falls due in the ${d.horizonDays} days after it, most overdue first. Priority is the time overdue divided by the rule's interval: 10 days late on a 30-day rule outranks 10 days late on a 180-day cadence.`
    ),
    para(
      `Defaults: check in every ${c.core} days with core partners, ${c.opportunity} with opportunities, ${c.generous} with generous and ${c.casual} with casual ones (a partner's own cadence wins; ANY interaction or referral resets the clock); dormant after ${d.dormantFactor}x the cadence. Thank a referrer within ${d.thankYouDays} days; tell them the outcome within ${d.closeLoopDays} days of it; follow up on a referral still open after ${d.statusFollowUpDays} days; give an opportunity a referral every ${d.giveFirstDays} days; a one-on-one after ${d.positiveInteractions} positive interactions, then share ideal clients. Thank-yous, outcomes and follow-ups on referrals more than ${d.missedAfterDays} days old collapse into one "missed" item per partner, listed last; fee-review items flag referral fees in regulated professions.`
    ),
    ""
  ]
  if (items.length === 0) {
    out.push("  Nothing is due.")
    return out.join("\n")
  }
  out.push(para(`${plural(items.length, "item")}: ${byKind(items)}.`, "  "), "")
  const shown = items.slice(0, AGENDA_SHOWN)
  out.push(
    table(
      [
        "Kind",
        "Partner",
        "Due",
        { header: "Overdue", align: "right" },
        { header: "Priority", align: "right" },
        { header: "Reason", maxWidth: 58 }
      ],
      shown.map((i) => [
        i.kind,
        i.name,
        day(i.dueAt),
        overdue(i.overdueDays),
        i.priority.toFixed(2),
        i.reason
      ]),
      { indent: 2 }
    )
  )
  const rest = items.slice(AGENDA_SHOWN)
  if (rest.length > 0) {
    out.push(
      "",
      bullet(
        `And ${plural(rest.length, "more item")}, less pressing: ${rest.map((i) => `${i.name} (${i.kind}, ${lateness(i.overdueDays)})`).join(", ")}.`,
        "  "
      )
    )
  }
  const quiet = ctx.partners.filter((p) => p.stage === "not-a-fit").map((p) => p.name)
  if (quiet.length > 0) {
    out.push(bullet(`No items for ${quiet.join(", ")}: marked not-a-fit, so the reminders stop.`, "  "))
  }
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------
// Outreach
// ---------------------------------------------------------------------------------------

/** "x2 for core and opportunity partners, x1 for generous and casual ones". */
const describeWeights = (weights: Readonly<Record<Matrix.Quadrant, number>>): string => {
  const groups = new Map<number, Array<Matrix.Quadrant>>()
  for (const q of Matrix.quadrants) groups.set(weights[q], [...(groups.get(weights[q]) ?? []), q])
  return [...groups.entries()]
    .sort(([a], [b]) => b - a)
    .map(([w, qs], i) => `x${w} for ${qs.join(" and ")} ${i === 0 ? "partners" : "ones"}`)
    .join(", ")
}

const outreachSection = (rotation: Outreach.Rotation): string => {
  const perWeek = Outreach.defaultPerWeek
  const out = [
    heading("Outreach: this week's rotation"),
    para(
      `"Each week reach out to one or two, rotating through the list": ${perWeek} partners a week, least recently contacted first. A day without contact counts ${describeWeights(Outreach.defaultWeights)}; not-a-fit partners are skipped. Partners reached in the current round wait until everyone else was reached; a pick you do not act on stays at the top until you do.`
    ),
    ""
  ]
  if (rotation.weeks === 0) {
    out.push("  Nobody to reach out to: the book has no partner in the rotation.")
    return out.join("\n")
  }
  out.push(
    `  Week of ${day(rotation.weekStart)}: a round through ${plural(rotation.order.length, "partner")} takes ${plural(rotation.weeks, "week")} at ${perWeek} a week; ${rotation.week === 0 ? "the order was set this week, after the latest contact" : `nothing was logged for ${plural(rotation.week, "week")}`}.`,
    "",
    "  This week:",
    table(
      ["Partner", "Quadrant", "Last contact", { header: "Reason", maxWidth: 80 }],
      rotation.picks.map((p) => [
        p.name,
        p.quadrant,
        p.lastContactAt === null ? "never" : day(p.lastContactAt),
        p.reason
      ]),
      { indent: 4 }
    ),
    "",
    "  The weeks after, if you reach each week's picks:"
  )
  const rows: Array<ReadonlyArray<string | number>> = []
  for (let offset = 1; offset < rotation.weeks; offset++) {
    const picks = rotation.order.slice(offset * perWeek, offset * perWeek + perWeek)
    rows.push([
      day(new Date(rotation.weekStart.getTime() + offset * 7 * DAY_MS)),
      `${offset + 1} of ${rotation.weeks}`,
      picks.map((p) => `${p.name} (${p.quadrant})`).join(", ")
    ])
  }
  out.push(
    rows.length === 0
      ? "    (the round is one week long)"
      : table(["Week of", "Week", "Partners"], rows, { indent: 4 })
  )
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------
// Health
// ---------------------------------------------------------------------------------------

const componentHeaders: Record<Health.ComponentName, string> = {
  recency: "Recency",
  reciprocity: "Reciprocity",
  "follow-through": "Follow-through",
  activity: "Activity",
  trust: "Trust"
}

const points = (n: number): string => String(Math.round(n * 10) / 10)

/** Reports in the one partner order of the library: by name, then id, by code units. */
const byName = Order.mapInput(Partner.byName, (r: { readonly name: string; readonly partnerId: string }) => ({
  name: r.name,
  id: r.partnerId
}))

const lightOrder: Record<Health.Light, number> = { red: 0, yellow: 1, green: 2 }

const healthSection = (ctx: Context, reports: ReadonlyArray<Health.Report>): string => {
  const w = Health.defaultWeights
  const pts = (name: Health.ComponentName) => Math.round(w[name] * 100)
  const sorted = [...reports].sort(
    (a, b) => lightOrder[a.light] - lightOrder[b.light] || a.score - b.score || byName(a, b)
  )
  const out = [
    heading("Health: a score and a light per partner"),
    para(
      `A score from 0 to 100, the sum of five components, each a value from 0 to 1 (1 is healthy) times its weight in points: recency ${pts("recency")} (the last touch against the cadence), follow-through ${pts("follow-through")} (thank-yous and closed loops on time), activity ${pts("activity")} (referrals both ways against the ${Matrix.defaultThresholds.activity} of high activity), reciprocity ${pts("reciprocity")} (balanced or not) and trust ${pts("trust")} (referrals that became clients, ${Health.defaultTrustReferrals} each way is full trust). Green from ${Health.defaultLights.green}; red below ${Health.defaultLights.red}, or when dormant; yellow between. Each cell reads value x weight; the score is the sum of the products, rounded.`
    ),
    "",
    table(
      [
        "Partner",
        "Quadrant",
        { header: "Score", align: "right" },
        "Light",
        ...Health.componentNames.map((n) => ({ header: componentHeaders[n], align: "right" as const }))
      ],
      sorted.map((r) => [
        r.name,
        r.quadrant,
        r.score,
        r.light,
        ...r.components.map((c) => `${c.value.toFixed(2)} x ${points(c.weight * 100)}`)
      ]),
      { indent: 2 }
    )
  ]
  const notGreen = sorted.filter((r) => r.light !== "green")
  if (notGreen.length > 0) {
    out.push("", "  Why not green:")
    for (const r of notGreen) {
      const stage = ctx.byId.get(r.partnerId)?.stage
      out.push(
        bullet(
          `${r.summary}${stage === "not-a-fit" ? " (marked not-a-fit: health is a view, not a reminder)" : ""}`
        )
      )
      for (const c of r.components.filter((c) => c.weight > 0 && c.value < 1)) {
        out.push(
          wrap(`${c.name} ${c.value.toFixed(2)}: ${c.detail}`, {
            width: WIDTH,
            indent: "        ",
            hanging: "          "
          })
        )
      }
    }
  }
  const watch = sorted.filter(
    (r) => r.light === "green" && r.components.some((c) => c.weight > 0 && c.value < 1)
  )
  if (watch.length > 0) {
    out.push("", "  Green, with something to watch:")
    for (const r of watch) out.push(bullet(r.summary))
  }
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------
// Progression
// ---------------------------------------------------------------------------------------

const progressionSection = (reports: ReadonlyArray<Progression.Report>): string => {
  const sorted = [...reports].sort(byName)
  const steps = Progression.steps.map((s, i) => `${i + 1} ${s}`).join(", ")
  const out = [
    heading("Progression: the four steps, and know/like/trust"),
    para(
      `The approach, in four steps: ${steps} (a one-on-one after ${Agenda.defaults.positiveInteractions} positive interactions; follow up at least once a cadence). The stage is inferred from the history and shown beside the one recorded in the book: active when referrals flow both ways in the last ${Matrix.defaultWindowDays} days, or when ideal clients were shared and followed up at least ${Progression.defaults.followUps} times, never more than a cadence apart; dormant after ${Agenda.defaults.dormantFactor}x the cadence without a touch. Steps shows the ones done. Know, like and trust are your own ratings, 1 to 5; ${Progression.defaults.lowScore} or less is low.`
    ),
    "",
    table(
      ["Partner", "Stage (inferred)", "Recorded", "Steps", "Next", "Know/like/trust"],
      sorted.map((r) => [
        r.name,
        r.stage,
        r.recordedStage === r.stage ? "same" : r.recordedStage,
        r.steps.map((s, i) => (s.done ? String(i + 1) : "-")).join(" "),
        r.next === null ? "none" : `${r.next}${r.ready ? "" : " (not yet)"}`,
        r.knowLikeTrust === null
          ? "not rated"
          : `${r.knowLikeTrust.know}/${r.knowLikeTrust.like}/${r.knowLikeTrust.trust}`
      ]),
      { indent: 2 }
    ),
    "",
    "  Why, and what next:"
  ]
  for (const r of sorted) {
    out.push(bullet(`${r.name} (${r.stage}): ${r.reasons.join("; ")}.`))
    out.push(wrap(`Next: ${r.advice}`, { width: WIDTH, indent: "      ", hanging: "            " }))
    for (const advice of r.knowLikeTrustAdvice) {
      out.push(wrap(advice, { width: WIDTH, indent: "      ", hanging: "        " }))
    }
  }
  const differ = sorted.filter((r) => r.recordedStage !== r.stage)
  if (differ.length > 0) {
    out.push(
      "",
      para(
        `The history says more than the book for ${differ.map((r) => `${r.name} (${r.stage}, recorded ${r.recordedStage})`).join(", ")}: update the recorded stage when you agree.`,
        "  "
      )
    )
  }
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------
// Portfolio
// ---------------------------------------------------------------------------------------

const portfolioLists = (report: Portfolio.Report): Array<string> =>
  [...report.invest, ...report.letGo].map((x) => bullet(x.reason, "      "))

const portfolioSection = (
  report: Portfolio.Report,
  wantMore: Portfolio.Report,
  wantFewer: Portfolio.Report
): string => {
  const { min, max } = Portfolio.defaultRange
  const out = [
    heading(`Portfolio: ${min} to ${max} active partnerships`),
    para(
      `"Most successful professionals maintain ${min} to ${max} active referral partnerships." A partnership counts as active when its inferred stage is (see Progression). Below ${min}, the rule lists the high-alignment partners to invest in, those who already send you clients first; above ${max}, the casual relationships that cost the most time for the least flow, to let go (spend less time on them, burn no bridges).`
    ),
    "",
    `  ${report.message}`,
    para(`Active: ${report.activePartners.map((m) => `${m.name} (${m.quadrant})`).join(", ")}.`, "  "),
    `  Invest in: ${report.invest.length === 0 ? `nobody listed (the rule lists them below ${report.range.min} active)` : ""}`,
    ...report.invest.map((x) => bullet(x.reason)),
    `  Let go: ${report.letGo.length === 0 ? `nobody listed (the rule lists them above ${report.range.max} active)` : ""}`,
    ...report.letGo.map((x) => bullet(x.reason)),
    "",
    "  The same book against other ranges (options.min and options.max):",
    para(`With ${wantMore.range.min} to ${wantMore.range.max} wanted: ${wantMore.message}`, "    "),
    ...portfolioLists(wantMore),
    para(`With ${wantFewer.range.min} to ${wantFewer.range.max} wanted: ${wantFewer.message}`, "    "),
    ...portfolioLists(wantFewer)
  ]
  return out.map((l) => l.trimEnd()).join("\n")
}

// ---------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------
// Compliance
// ---------------------------------------------------------------------------------------

const complianceSection = (findings: ReadonlyArray<Compliance.Finding>): string => {
  const out = [
    heading("Compliance: referral fees to review"),
    para(
      `The seed's FAQ warns that referral fees "may even create ethical issues in regulated industries like law and financial services". Every referral with a fee where your profession or the partner's is regulated for referral fees (attorneys, financial advisors and planners, real estate agents and mortgage lenders under RESPA) is listed for you to review with whoever advises you on compliance; recent ones also appear on the agenda as fee-review items.`
    ),
    ""
  ]
  if (findings.length === 0) {
    out.push("  No referral fee to review.")
    return out.join("\n")
  }
  out.push(
    table(
      [
        "Date",
        "Partner",
        { header: "Fee", align: "right" },
        "Professions",
        { header: "Reason", maxWidth: 70 }
      ],
      findings.map((f) => [day(f.date), f.name, f.fee, f.professions.join(", "), f.reason]),
      { indent: 2 }
    )
  )
  return out.join("\n")
}

const discoverySection = (
  ctx: Context,
  ownerProfession: Profession.ProfessionId,
  discovery: Discovery.Discovery
): string => {
  const taxonomy = Profession.defaultTaxonomy
  const name = (id: string) => ctx.byId.get(id)?.name ?? id
  const mine = Profession.label(taxonomy, ownerProfession).toLowerCase()
  const out = [
    heading("Discovery: who to look for"),
    para(
      `The seed's three questions, answered from the book: professions that pair with yours (${mine}) and have no active partner (partners whose history makes them dormant, and not-a-fit ones, do not count); the professions your clients asked you about; and the informal referrers among the sources of your last ${Discovery.defaultRecentClients} new clients, people who send you work and are not partners yet.`
    ),
    "",
    "  1. Who else serves my ideal client?"
  ]
  if (discovery.pairings.length === 0) {
    const covered = Profession.pairsOf(taxonomy, ownerProfession).map((m) => {
      const by = Discovery.coveredBy(ctx.partners, m.profession, taxonomy).map(name)
      return `${Profession.label(taxonomy, m.profession)}: ${by.join(", ")}`
    })
    out.push(
      para(
        covered.length === 0
          ? "No profession pairs with yours in the taxonomy: add your own pairings (Profession.extend)."
          : `Nobody missing: the professions that pair with yours all have an active partner (${covered.join("; ")}).`,
        "     "
      )
    )
  } else {
    out.push(
      table(
        ["Profession", { header: "Why they pair with you", maxWidth: 90 }],
        discovery.pairings.map((p) => [p.label, p.reason]),
        { indent: 5 }
      )
    )
  }
  // An uncovered profession may still have a partner who is dormant or not a fit: say so.
  const uncovered = (profession: Profession.ProfessionId): string => {
    const inactive = ctx.partners.filter(
      (p) => !Discovery.isActive(p) && Profession.covers(taxonomy, p.profession, profession)
    )
    return inactive.length === 0
      ? "nobody yet: look for one"
      : `nobody active (${inactive.map((p) => `${p.name} is ${p.stage}`).join(", ")}): look for one`
  }
  out.push("", "  2. Who do my clients ask me about?")
  if (discovery.askedAbout.length === 0) out.push("     Nobody asked about another profession.")
  else {
    out.push(
      table(
        ["Profession", { header: "Clients", align: "right" }, "Covered by"],
        discovery.askedAbout.map((a) => [
          a.label,
          a.clients,
          a.covered ? a.coveredBy.map(name).join(", ") : uncovered(a.profession)
        ]),
        { indent: 5 }
      )
    )
  }
  out.push("", "  3. Who is already sending me clients, even informally?")
  if (discovery.informalReferrers.length === 0) {
    out.push(
      `     Nobody: the last ${discovery.recentClientsConsidered} new clients all came from partners or elsewhere.`
    )
  } else {
    out.push(
      table(
        ["Contact", { header: "Clients", align: "right" }, "Latest client"],
        discovery.informalReferrers.map((r) => [r.contact, r.clients, day(r.lastClientAt)]),
        { indent: 5 }
      ),
      para(
        `Of your last ${discovery.recentClientsConsidered} new clients. The trust already exists: these are the first people to invite for a one-on-one.`,
        "     "
      )
    )
  }
  return out.join("\n")
}

// ---------------------------------------------------------------------------------------

const main = async (): Promise<void> => {
  const asOf = SampleBook.demoAsOf
  const sample = SampleBook.sampleBook(asOf)
  const client = await PartnerbookClient.open({ store: Store.layerMemory })
  try {
    const book = client.book()
    const imported = await book.importBook(
      BookDocument.encode(BookDocument.make({ book: Book.defaultBookId, ...sample }))
    )
    const owner = await book.getProfile()
    if (owner === undefined) throw new Error("the sample book has no profile")
    const ctx = makeContext(asOf, await book.listPartners())
    const placements = await book.matrix({ asOf })
    const balances = await book.balance({ asOf })
    const agenda = await book.agenda({ asOf })
    const rotation = await book.outreach({ weekOf: asOf })
    const health = await book.health({ asOf })
    const progression = await book.progression({ asOf })
    const portfolio = await book.portfolio({ asOf })
    const wantMore = await book.portfolio({ asOf, options: { min: 8 } })
    const wantFewer = await book.portfolio({ asOf, options: { min: 3, max: 5 } })
    const discovery = await book.discover({ asOf })
    const compliance = await book.compliance({ asOf })
    console.log(
      [
        `Partnerbook demo: the book of ${owner.name}, ${ctx.profession(owner.profession).toLowerCase()}, as of ${day(asOf)}`,
        `${imported.partners} partners, ${imported.referrals} referrals, ${imported.interactions} interactions, ${imported.clients} new clients, loaded into an in-memory store.`,
        "",
        matrixSection(ctx, placements),
        "",
        balanceSection(balances),
        "",
        agendaSection(ctx, agenda),
        "",
        outreachSection(rotation),
        "",
        healthSection(ctx, health),
        "",
        progressionSection(progression),
        "",
        portfolioSection(portfolio, wantMore, wantFewer),
        "",
        discoverySection(ctx, owner.profession, discovery),
        "",
        complianceSection(compliance)
      ].join("\n")
    )
  } finally {
    await client.close()
  }
}

main().catch((error) => {
  console.error(
    error instanceof Error ? `${(error as { _tag?: string })._tag ?? error.name}: ${error.message}` : error
  )
  process.exit(1)
})
