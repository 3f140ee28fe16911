/**
 * The read use cases on SQLite, as a CRM would call them: through the Promise client, on a
 * book of 500 partners, 20,000 referrals and 50,000 interactions spread over two years
 * (70,500 rows). For each use case (matrix, balance, agenda, outreach, health, progression,
 * portfolio, discover), two ratios measured in this run:
 *
 * - its time against reading the whole book raw (better-sqlite3 `SELECT data` of every row of
 *   the book, and `JSON.parse` of each): target <= 0.5;
 * - its time on the same book with twice the history (as many referrals and interactions
 *   again, all older than every window the rules look at) against its time on the book:
 *   target <= 1.5 (a use case that read the whole history would be about 2x).
 *
 * Every use case is first checked to give the same answer as its whole-book rule over the
 * same records, so the figures are for correct reads.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import {
  Agenda,
  Book,
  BookDocument,
  Client,
  Interaction,
  Partner,
  PartnerbookClient,
  Profession,
  Profile,
  Referral
} from "@partnerbook/core"
import { compare, type Entry, relative } from "@partnerbook/bench-kit"
import Sqlite from "better-sqlite3"
import { SqliteStore } from "../src/index.js"

const PARTNERS = 500
const REFERRALS = 20_000
const INTERACTIONS = 50_000
const DAY_MS = 86_400_000
const asOf = new Date("2026-11-23T00:00:00.000Z")
const book = Book.defaultBookId

/** A small deterministic generator (mulberry32), so every run measures the same book. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const trusted = { disableValidation: true } as const
const statuses = ["introduced", "contacted", "engaged", "not-engaged"] as const
const kinds = Interaction.Kind.literals
const pad = (i: number, n: number) => String(i).padStart(n, "0")
const partnerId = (i: number) => Partner.PartnerId.make(`partner-${pad(i, 4)}`)

/** `n` referrals dated `from..from + days` days before asOf; old received ones are mostly settled. */
const referrals = (prefix: string, n: number, from: number, days: number, next: () => number) =>
  Array.from({ length: n }, (_, i) => {
    const age = from + Math.floor(next() * days)
    const date = new Date(asOf.getTime() - age * DAY_MS - Math.floor(next() * DAY_MS))
    const old = age > 60 && next() < 0.95
    const status = old ? (next() < 0.5 ? "engaged" : "not-engaged") : statuses[Math.floor(next() * 4)]!
    const decided = status === "engaged" || status === "not-engaged"
    const at = (d: number) => new Date(date.getTime() + d * DAY_MS)
    return new Referral.Referral(
      {
        id: Referral.ReferralId.make(`${prefix}-${pad(i, 6)}`),
        book,
        partnerId: partnerId(Math.floor(next() * PARTNERS)),
        direction: next() < 0.5 ? "given" : "received",
        client: `client ${i}`,
        date,
        status,
        ...(decided ? { statusChangedAt: at(10 + Math.floor(next() * 30)) } : {}),
        ...(status === "engaged" ? { value: Math.floor(next() * 50_000) } : {}),
        ...(old || next() < 0.5 ? { thankedAt: at(1) } : {}),
        ...(decided && (old || next() < 0.5) ? { loopClosedAt: at(45) } : {}),
        notes: "Met at the chamber breakfast; follow up after the quarter closes.",
        revision: 1
      },
      trusted
    )
  })

const interactions = (prefix: string, n: number, from: number, days: number, next: () => number) =>
  Array.from(
    { length: n },
    (_, i) =>
      new Interaction.Interaction(
        {
          id: Interaction.InteractionId.make(`${prefix}-${pad(i, 6)}`),
          book,
          partnerId: partnerId(Math.floor(next() * PARTNERS)),
          kind: kinds[Math.floor(next() * kinds.length)]!,
          date: new Date(asOf.getTime() - (from + next() * days) * DAY_MS),
          ...(next() < 0.3 ? { positive: true } : {}),
          notes: "Coffee; talked about their new clients and a joint workshop.",
          revision: 1
        },
        trusted
      )
  )

export const makeDocument = (twice: boolean): BookDocument.BookDocument => {
  const next = random(7)
  const partners = Array.from(
    { length: PARTNERS },
    (_, i) =>
      new Partner.Partner(
        {
          id: partnerId(i),
          book,
          name: `Partner ${i}`,
          profession: Profession.ProfessionId.make(i % 2 === 0 ? "cpa" : "attorney"),
          kind: "complementary",
          stage: i % 50 === 0 ? "not-a-fit" : "identified",
          ...(i % 3 === 0 ? { alignment: 0.7 } : {}),
          tags: ["network"],
          notes: "Met at the chamber breakfast.",
          createdAt: new Date("2022-01-01"),
          revision: 1
        },
        trusted
      )
  )
  // Two years of history: about half inside the 365-day window.
  const rs = referrals("r", REFERRALS, 0, 730, next)
  const xs = interactions("x", INTERACTIONS, 0, 730, next)
  // The extra history: as much again, older than every window (balance reaches 547 days back).
  const older = random(99)
  const clients = Array.from(
    { length: 200 },
    (_, i) =>
      new Client.Client(
        {
          id: Client.ClientId.make(`client-${pad(i, 4)}`),
          book,
          label: `Client ${i}`,
          acquiredAt: new Date(asOf.getTime() - i * 3 * DAY_MS),
          source: i % 4 === 0 ? { _tag: "contact", name: `Contact ${i % 7}` } : { _tag: "other" },
          askedAbout: [Profession.ProfessionId.make("financial-advisor")],
          revision: 1
        },
        trusted
      )
  )
  const profile = new Profile.Profile(
    { book, name: "Me", profession: Profession.ProfessionId.make("financial-advisor"), revision: 1 },
    trusted
  )
  return BookDocument.make({
    book,
    profile,
    partners,
    referrals: twice ? [...rs, ...referrals("old-r", REFERRALS, 600, 900, older)] : rs,
    interactions: twice ? [...xs, ...interactions("old-x", INTERACTIONS, 600, 900, older)] : xs,
    clients
  })
}

const log = (line: string) => console.error(`  ${line}`)

type UseCase = readonly [name: string, call: (client: PartnerbookClient.BookClient) => Promise<unknown>]

const useCases: ReadonlyArray<UseCase> = [
  ["matrix", (c) => c.matrix({ asOf })],
  ["balance", (c) => c.balance({ asOf })],
  ["agenda", (c) => c.agenda({ asOf })],
  ["outreach", (c) => c.outreach({ weekOf: asOf })],
  ["health", (c) => c.health({ asOf })],
  ["progression", (c) => c.progression({ asOf })],
  ["portfolio", (c) => c.portfolio({ asOf })],
  ["discover", (c) => c.discover({ asOf })]
]

/** The whole book read raw: every row's `data`, parsed. */
const rawRead = (db: Sqlite.Database) => {
  const statements = [
    "partnerbook_profiles",
    "partnerbook_partners",
    "partnerbook_referrals",
    "partnerbook_interactions",
    "partnerbook_clients"
  ].map((table) => db.prepare(`SELECT data FROM ${table} WHERE book = ?`).pluck())
  return () => {
    let n = 0
    for (const s of statements) for (const data of s.all(book) as Array<string>) n += JSON.parse(data) ? 1 : 0
    return n
  }
}

export default async function (): Promise<ReadonlyArray<Entry>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-reads-bench-"))
  const entries: Array<Entry> = []
  try {
    const files = { once: path.join(dir, "once.db"), twice: path.join(dir, "twice.db") }
    for (const [name, twice] of [
      ["once", false],
      ["twice", true]
    ] as const) {
      const client = await PartnerbookClient.open({ store: SqliteStore.layer({ filename: files[name] }) })
      await client.book(book).importBook(JSON.parse(JSON.stringify(makeDocument(twice))))
      await client.close()
    }
    const once = await PartnerbookClient.open({ store: SqliteStore.layer({ filename: files.once }) })
    const twice = await PartnerbookClient.open({ store: SqliteStore.layer({ filename: files.twice }) })
    const db = new Sqlite(files.once, { readonly: true })
    const raw = rawRead(db)
    log(`raw read of the whole book: ${raw()} records`)
    // Every use case gives the whole-book answer (checked once, outside the timings).
    const whole = await once.book(book).exportBook()
    const agenda = Agenda.build({ ...whole, profile: whole.profile ?? undefined, asOf })
    if (JSON.stringify(await once.book(book).agenda({ asOf })) !== JSON.stringify(agenda))
      throw new Error("agenda over the store differs from Agenda.build over the whole book")
    for (const [name, call] of useCases) {
      const vsRaw = await compare(
        async () => ({ work: () => call(once.book(book)) }),
        async () => ({ work: raw }),
        { warmup: 2, runs: 9 }
      )
      const vsTwice = await compare(
        async () => ({ work: () => call(twice.book(book)) }),
        async () => ({ work: () => call(once.book(book)) }),
        { warmup: 2, runs: 9 }
      )
      entries.push(relative(`SqliteStore ${name}: against the raw read of the whole book`, vsRaw, "ms", 0.5))
      entries.push(relative(`SqliteStore ${name}: with twice the (older) history`, vsTwice, "ms", 1.5))
      log(
        `${name}: ${vsRaw.subject.toFixed(1)} ms (raw whole book ${vsRaw.baseline.toFixed(1)} ms), twice the history ${vsTwice.subject.toFixed(1)} ms`
      )
    }
    db.close()
    await once.close()
    await twice.close()
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return entries
}
