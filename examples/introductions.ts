/**
 * A facilitated networking event: 30 professionals, three rounds of one-to-one introductions.
 * The organiser asked every attendee about their practice, their ideal client and the
 * professions they want to meet; the planner pairs them for the highest total fit in each
 * round (a maximum weight matching), never twice the same pair, and keeps competitors apart
 * unless both asked to meet peers.
 *
 * Run it with `pnpm exec tsx --conditions=@partnerbook/source examples/introductions.ts`.
 * The attendees come from a seeded generator, so the schedule is the same on every run.
 */
import { IdealClientProfile, Introductions, Profession } from "@partnerbook/core"
import { heading, table } from "./table.js"

/** mulberry32: a small seeded pseudo-random generator, so every run prints the same event. */
const seeded = (seed: number) => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(next() * xs.length)]!
  const some = <A>(xs: ReadonlyArray<A>, max: number): Array<A> => {
    const out: Array<A> = []
    const count = Math.floor(next() * (max + 1))
    for (let i = 0; i < count; i++) {
      const x = pick(xs)
      if (!out.includes(x)) out.push(x)
    }
    return out
  }
  return { next, pick, some }
}

const taxonomy = Profession.defaultTaxonomy
const professions = taxonomy.professions.map((p) => p.id)

const firstNames = [
  "Ana",
  "Ben",
  "Carla",
  "Dev",
  "Elena",
  "Femi",
  "Grace",
  "Hugo",
  "Iris",
  "Jamal",
  "Kim",
  "Luis",
  "Maya",
  "Noah",
  "Olga",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara"
]
const lastNames = [
  "Alvarez",
  "Brooks",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Jones"
]

const makeEvent = (size: number, seed: number): ReadonlyArray<Introductions.Attendee> => {
  const random = seeded(seed)
  const names = new Set<string>()
  const attendees: Array<Introductions.Attendee> = []
  for (let i = 0; i < size; i++) {
    let name = `${random.pick(firstNames)} ${random.pick(lastNames)}`
    while (names.has(name)) name = `${random.pick(firstNames)} ${random.pick(lastNames)}`
    names.add(name)
    const profession = random.pick(professions)
    // most people ask for the professions that pair with theirs, a few for anything
    const pairs = Profession.pairsOf(taxonomy, profession).map((m) => m.profession)
    const wants = random.some(pairs.length > 0 && random.next() < 0.8 ? pairs : professions, 2)
    const idealClient =
      random.next() < 0.8
        ? IdealClientProfile.make(`${name}'s ideal client`, {
            clientTypes: random.some(["business owners", "families", "retirees", "high net worth"], 2),
            regions: random.some(["South Florida", "Miami", "Broward", "Palm Beach"], 2),
            lifeEvents: random.some(["business sale", "divorce", "retirement", "home purchase"], 1)
          })
        : undefined
    attendees.push({
      id: `a${String(i + 1).padStart(2, "0")}`,
      name,
      profession,
      wants,
      wantsPeers: random.next() < 0.25,
      ...(idealClient === undefined ? {} : { idealClient })
    })
  }
  return attendees
}

const attendees = makeEvent(30, 20260630)
const byId = new Map(attendees.map((a) => [a.id, a] as const))
const who = (id: string): string => {
  const a = byId.get(id)!
  return `${a.name} (${Profession.label(taxonomy, a.profession)})`
}

const sitOutText: Record<Introductions.SitOutReason, string> = {
  "odd-count": "odd number of people left to pair",
  "partners-taken": "everyone they fit is in another introduction",
  "no-one-left": "nobody compatible they have not met"
}

console.log(heading("Attendees"))
console.log(
  table(
    ["Id", "Name", "Profession", "Wants to meet", "Peers"],
    attendees.map((a) => [
      a.id,
      a.name,
      Profession.label(taxonomy, a.profession),
      a.wants.map((w) => Profession.label(taxonomy, w)).join(", ") || "-",
      a.wantsPeers ? "yes" : "no"
    ])
  )
)

const input = { attendees, rounds: 3 }
const plan = Introductions.plan(input)
const greedy = Introductions.greedy(input)

for (const round of plan.rounds) {
  console.log()
  console.log(
    heading(`Round ${round.round}: ${round.pairs.length} introductions, total fit ${round.totalFit}`)
  )
  const rows: Array<Array<string | number>> = []
  for (const pair of round.pairs) {
    pair.reasons.forEach((reason, i) => {
      rows.push(
        i === 0 ? [round.round, `${who(pair.a)} + ${who(pair.b)}`, pair.fit, reason] : ["", "", "", reason]
      )
    })
  }
  console.log(table(["Round", "Pair", { header: "Fit", align: "right" }, "Reasons"], rows))
  console.log()
  if (round.sittingOut.length === 0) console.log("Sitting out: nobody")
  else {
    console.log("Sitting out:")
    for (const s of round.sittingOut) console.log(`  ${who(s.attendee)}: ${sitOutText[s.reason]}`)
  }
}

console.log()
console.log(heading("Totals"))
console.log(
  table(
    [
      "Planner",
      ...plan.rounds.map((r) => ({ header: `Round ${r.round}`, align: "right" as const })),
      {
        header: "Total",
        align: "right"
      }
    ],
    [
      ["maximum weight matching", ...plan.rounds.map((r) => r.totalFit), plan.totalFit],
      ["greedy (for comparison)", ...greedy.rounds.map((r) => r.totalFit), greedy.totalFit]
    ]
  )
)
