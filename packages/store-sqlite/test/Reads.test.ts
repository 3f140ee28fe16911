import * as path from "node:path"
import { Book, Interaction, Partner, Referral, Store } from "@partnerbook/core"
import Sqlite from "better-sqlite3"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Reads from "../src/internal/reads.js"
import { SqliteStore } from "../src/index.js"
import { tempDir } from "./fixtures/temp.js"

const book = Book.BookId.make("b")
const DAY = 86_400_000
const asOf = new Date("2026-06-01T00:00:00.000Z")
const day = (n: number) => new Date(asOf.getTime() + n * DAY)

const withStore = <A>(filename: string, f: (store: Store.Store) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(Effect.flatMap(Store.Store, f).pipe(Effect.provide(SqliteStore.layer({ filename }))))

const partner = (id: string) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book,
    name: id,
    profession: "cpa" as Partner.Partner["profession"],
    kind: "complementary",
    stage: "identified",
    tags: [],
    notes: "",
    createdAt: day(-400),
    revision: 0
  })

const query: Store.DigestQuery = {
  asOf,
  windows: [
    { after: day(-365), until: asOf },
    { after: day(-456), until: day(-91) }
  ],
  positiveRank: 2,
  kinds: ["one-on-one", "event"],
  followUpFrom: day(-365),
  trailingDays: 365
}

/** Every referral and interaction of a small but varied history. */
const history = () => {
  const referrals: Array<Referral.Referral> = []
  const interactions: Array<Interaction.Interaction> = []
  for (let i = 0; i < 60; i++) {
    const date = day(-((i * 37) % 700))
    referrals.push(
      Referral.Referral.make({
        id: Referral.ReferralId.make(`r${i}`),
        book,
        partnerId: Partner.PartnerId.make(`p${i % 4}`),
        direction: i % 3 === 0 ? "given" : "received",
        client: "",
        date,
        status: (["introduced", "contacted", "engaged", "not-engaged"] as const)[i % 4]!,
        ...(i % 5 === 0 ? {} : { statusChangedAt: new Date(date.getTime() + (i % 7) * DAY) }),
        ...(i % 2 === 0 ? { thankedAt: new Date(date.getTime() + (i % 9) * DAY) } : {}),
        ...(i % 3 === 1 ? { loopClosedAt: new Date(date.getTime() + (i % 11) * DAY) } : {}),
        revision: 0
      })
    )
    interactions.push(
      Interaction.Interaction.make({
        id: Interaction.InteractionId.make(`x${i}`),
        book,
        partnerId: Partner.PartnerId.make(`p${i % 4}`),
        kind: (["one-on-one", "event", "ideal-client-shared", "note"] as const)[i % 4]!,
        date: day(-((i * 53) % 700)),
        ...(i % 3 === 0 ? { positive: true } : i % 3 === 1 ? { positive: false } : {}),
        revision: 0
      })
    )
  }
  return { referrals, interactions }
}

describe("the digest reads", () => {
  it("a file made before migrations 2 and 3 is migrated on open, and its digests equal the reference", async () => {
    const filename = path.join(tempDir(), "old.db")
    const { referrals, interactions } = history()
    // A store at schema 3, then everything migrations 2 and 3 added taken away again: a schema-1 file.
    await withStore(filename, (store) =>
      Effect.gen(function* () {
        for (const id of ["p0", "p1", "p2", "p3"]) yield* store.partners.put(partner(id))
        for (const r of referrals) yield* store.referrals.put(r)
        for (const x of interactions) yield* store.interactions.put(x)
      })
    )
    const db = new Sqlite(filename)
    for (const index of [
      "partnerbook_referrals_by_direction",
      "partnerbook_referrals_engaged",
      "partnerbook_referrals_pending",
      "partnerbook_interactions_by_kind",
      "partnerbook_interactions_positive",
      "partnerbook_referrals_received_by_partner"
    ])
      db.exec(`DROP INDEX ${index}`)
    db.exec("DELETE FROM partnerbook_migrations WHERE migration_id IN (3, 4)")
    db.close()

    await withStore(filename, (store) =>
      Effect.gen(function* () {
        const partners = yield* store.partners.list(book)
        const all = {
          referrals: yield* store.referrals.list(book),
          interactions: yield* store.interactions.list(book)
        }
        expect(all.referrals.length).toBe(60)
        expect(yield* store.digest(book, query)).toEqual(
          Store.digest(partners, all.referrals, all.interactions, query)
        )
        const pending = yield* store.pending(book, asOf)
        expect(pending.length).toBeGreaterThan(0)
        expect(pending.map((r) => r.id)).toEqual(Store.pending(all.referrals, asOf).map((r) => r.id))
        const received = { asOf, days: 365 }
        expect(yield* store.received(book, received)).toEqual(
          Store.received(partners, all.referrals, received)
        )
      })
    )
    const after = new Sqlite(filename, { readonly: true })
    expect(after.prepare("SELECT max(migration_id) AS m FROM partnerbook_migrations").get()).toEqual({ m: 4 })
    after.close()
  })

  it("every statement reads through an index, never a scan of a whole table", async () => {
    const filename = path.join(tempDir(), "plans.db")
    await withStore(filename, (store) => store.books())
    const db = new Sqlite(filename, { readonly: true })
    const plan = (sql: string, params: ReadonlyArray<unknown>) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map(
        (r) => r.detail
      )
    const statements: Array<Reads.Statement> = [
      Reads.digestFacts(book, query),
      Reads.followUpTouches(book, JSON.stringify([["p0", day(-100).getTime()]]), asOf.getTime()),
      { sql: Reads.pendingSql, params: [book, asOf.getTime(), book, asOf.getTime(), asOf.getTime()] },
      { sql: Reads.receivedSql, params: [asOf.getTime(), book, book, 365 * DAY] }
    ]
    for (const s of statements) {
      const details = plan(s.sql, s.params)
      const scans = details.filter(
        (d) =>
          /^SCAN partnerbook_/.test(d) ||
          (/^SCAN /.test(d) && !/USING|json_each|CONSTANT|s$|x$|latest$/.test(d))
      )
      expect({ sql: s.sql, scans }).toEqual({ sql: s.sql, scans: [] })
      expect(details.some((d) => /USING (COVERING )?INDEX partnerbook_/.test(d))).toBe(true)
      // Every search of the digest facts is answered by its index alone.
      if (s === statements[0] || s === statements[3]) {
        const partial = details.filter((d) => /^SEARCH partnerbook_/.test(d) && !/COVERING INDEX/.test(d))
        expect(partial).toEqual([])
      }
    }
    const facts = plan(statements[0]!.sql, statements[0]!.params).join("\n")
    for (const index of [
      "partnerbook_referrals_by_direction",
      "partnerbook_referrals_engaged",
      "partnerbook_interactions_positive",
      "partnerbook_interactions_by_kind"
    ])
      expect(facts).toContain(index)
    expect(plan(Reads.pendingSql, statements[2]!.params).join("\n")).toContain(
      "partnerbook_referrals_pending"
    )
    expect(plan(Reads.receivedSql, statements[3]!.params).join("\n")).toContain(
      "partnerbook_referrals_received_by_partner"
    )
    db.close()
  })
})
