import { Book, Partner, Profession, Store } from "@partnerbook/core"
import { Arbitraries } from "@partnerbook/testkit"
import { Cause, Effect, Exit, ManagedRuntime, Option } from "effect"
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import * as Sql from "../src/internal/sql.js"
import { PostgresStore } from "../src/index.js"
import { adminSql, dropSchema, requireUrl, skip, skipReason, uniqueSchema } from "./fixtures/server.js"

const book = Book.BookId.make("b")

const partner = (id: string, overrides: Partial<Partner.Partner> = {}) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book,
    name: `Partner ${id}`,
    profession: Profession.ProfessionId.make("cpa"),
    kind: "complementary",
    stage: "identified",
    tags: [],
    notes: "",
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    revision: 0,
    ...overrides
  })

const schemas: Array<string> = []
const schemaFor = (prefix: string): string => {
  const schema = uniqueSchema(prefix)
  schemas.push(schema)
  return schema
}
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})

const open = (schema: string) => ManagedRuntime.make(PostgresStore.layer({ url: requireUrl(), schema }))

const withStore = async <A>(
  schema: string,
  f: (store: Store.Store) => Effect.Effect<A, unknown>
): Promise<A> => {
  const runtime = open(schema)
  try {
    return await runtime.runPromise(Effect.flatMap(Store.Store, f))
  } finally {
    await runtime.dispose()
  }
}

describe.skipIf(skip)(
  `PostgresStore change feed, external ids and migration 2${skip ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    it("N connections writing one book: every sequence handed out once, one change per record", async () => {
      const schema = schemaFor("feed")
      await withStore(schema, (s) => s.partners.put(partner("seed")))
      const clients = 4
      const each = 10
      const runtimes = Array.from({ length: clients }, () => open(schema))
      try {
        await Promise.all(
          runtimes.map((rt, c) =>
            rt.runPromise(
              Effect.flatMap(Store.Store, (s) =>
                Effect.forEach(
                  Array.from({ length: each }, (_, i) => i),
                  (i) =>
                    Effect.flatMap(s.partners.put(partner(`c${c}-${i}`)), (p) =>
                      // Every other record is written twice: it keeps only its latest change.
                      i % 2 === 0 ? s.partners.put(p) : Effect.succeed(p)
                    ),
                  { concurrency: 3, discard: true }
                )
              )
            )
          )
        )
      } finally {
        await Promise.all(runtimes.map((rt) => rt.dispose()))
      }
      const page = await withStore(schema, (s) => s.changes(book, { after: 0, limit: 1000 }))
      const writes = 1 + clients * each + (clients * each) / 2
      expect(page.last).toBe(writes)
      expect(page.changes).toHaveLength(1 + clients * each)
      const sequences = page.changes.map((c) => c.sequence)
      expect(new Set(sequences).size).toBe(sequences.length)
      expect([...sequences].sort((a, b) => a - b)).toEqual(sequences)
      expect(sequences.at(-1)).toBe(writes)
      for (const c of page.changes) {
        const twice = /-\d*[02468]$/.test(c.id)
        expect(c).toMatchObject({ entity: "partner", op: "put", revision: twice ? 2 : 1 })
      }
    })

    it("N connections giving one externalId to different partners at once: one wins, the others InvalidData naming externalId", async () => {
      const schema = schemaFor("extid")
      await withStore(schema, (s) => s.partners.put(partner("seed")))
      const runtimes = Array.from({ length: 5 }, () => open(schema))
      try {
        const exits = await Promise.all(
          runtimes.map((rt, i) =>
            rt.runPromiseExit(
              Effect.flatMap(Store.Store, (s) => s.partners.put(partner(`p${i}`, { externalId: "crm-1" })))
            )
          )
        )
        expect(exits.filter(Exit.isSuccess)).toHaveLength(1)
        for (const exit of exits) {
          if (Exit.isSuccess(exit)) continue
          const error = Option.getOrUndefined(Cause.failureOption(exit.cause))
          expect(error).toMatchObject({ _tag: "InvalidData", path: "externalId" })
        }
      } finally {
        await Promise.all(runtimes.map((rt) => rt.dispose()))
      }
      const found = await withStore(schema, (s) =>
        Effect.all([s.findByExternalId("partner", book, "crm-1"), s.partners.list(book), s.changes(book)])
      )
      const [holder, partners, page] = found
      expect(Option.isSome(holder)).toBe(true)
      // The losers wrote nothing: no record, no change.
      expect(partners).toHaveLength(2)
      expect(page.last).toBe(2)
    })

    it("a schema at migration 1 migrates: external ids, one put per record in the feed, reads equal the reference", async () => {
      const schema = schemaFor("mig")
      const q = `"${schema}"`
      const history = fc
        .sample(Arbitraries.history(book), { seed: 42, numRuns: 8 })
        .find((h) => h.partners.length > 1 && h.referrals.length > 3 && h.interactions.length > 3)!
      const partners = history.partners.map((p, i) =>
        i === 0 ? new Partner.Partner({ ...p, externalId: "crm-first" }) : p
      )
      await adminSql((sql) =>
        Effect.gen(function* () {
          yield* sql.unsafe(`CREATE SCHEMA ${q}`)
          yield* sql.unsafe(
            `CREATE TABLE ${q}.migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
          )
          const [first] = Sql.make(schema).migrations
          for (const statement of first!.statements) yield* sql.unsafe(statement)
          yield* sql.unsafe(`INSERT INTO ${q}.migrations (id, name) VALUES (1, 'create_tables')`)
          // Rows as version 1 wrote them (its columns only).
          if (history.profile !== undefined) {
            yield* sql.unsafe(`INSERT INTO ${q}.profiles VALUES ($1, $2, $3)`, [
              book,
              history.profile.revision,
              JSON.stringify(history.profile)
            ])
          }
          for (const p of partners) {
            yield* sql.unsafe(`INSERT INTO ${q}.partners VALUES ($1, $2, $3, $4, $5)`, [
              book,
              p.id,
              p.createdAt.getTime(),
              p.revision,
              JSON.stringify(p)
            ])
          }
          for (const r of history.referrals) {
            yield* sql.unsafe(`INSERT INTO ${q}.referrals VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
              book,
              r.id,
              r.partnerId,
              r.date.getTime(),
              r.direction,
              r.status,
              r.value ?? null,
              r.revision,
              JSON.stringify(r)
            ])
          }
          for (const x of history.interactions) {
            yield* sql.unsafe(`INSERT INTO ${q}.interactions VALUES ($1, $2, $3, $4, $5, $6)`, [
              book,
              x.id,
              x.partnerId,
              x.date.getTime(),
              x.revision,
              JSON.stringify(x)
            ])
          }
        })
      )
      const asOf = new Date(Arbitraries.anchor.getTime() - 30 * 86_400_000)
      const query: Store.DigestQuery = {
        asOf,
        windows: [{ after: new Date(asOf.getTime() - 365 * 86_400_000), until: asOf }],
        positiveRank: 2,
        kinds: ["one-on-one", "ideal-client-shared"],
        followUpFrom: new Date(asOf.getTime() - 90 * 86_400_000),
        trailingDays: 120
      }
      const result = await withStore(schema, (s) =>
        Effect.all({
          holder: s.findByExternalId("partner", book, "crm-first"),
          page: s.changes(book, { after: 0, limit: 1000 }),
          partners: s.partners.list(book),
          referrals: s.referrals.list(book),
          interactions: s.interactions.list(book),
          digest: s.digest(book, query),
          pending: s.pending(book, asOf),
          recent: s.received(book, { asOf, days: 60 })
        })
      )
      expect(Option.map(result.holder, (p) => p.id)).toEqual(Option.some(partners[0]!.id))
      const byId = <A extends { readonly id: string }>(xs: ReadonlyArray<A>) =>
        [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const expected = [
        ...(history.profile === undefined
          ? []
          : [{ entity: "profile", id: book, op: "put", revision: history.profile.revision }]),
        ...byId(partners).map((p) => ({ entity: "partner", id: p.id, op: "put", revision: p.revision })),
        ...byId(history.referrals).map((r) => ({
          entity: "referral",
          id: r.id,
          op: "put",
          revision: r.revision
        })),
        ...byId(history.interactions).map((x) => ({
          entity: "interaction",
          id: x.id,
          op: "put",
          revision: x.revision
        }))
      ].map((c, i) => ({ ...c, sequence: i + 1 }))
      expect(result.page).toEqual({ changes: expected, last: expected.length })
      expect(result.digest).toEqual(
        Store.digest(result.partners, result.referrals, result.interactions, query)
      )
      expect(result.pending).toEqual(Store.pending(result.referrals, asOf))
      expect(result.recent).toEqual(Store.received(result.partners, result.referrals, { asOf, days: 60 }))
      // The next write goes on from the backfilled counter.
      const next = await withStore(schema, (s) =>
        Effect.zipRight(s.partners.put(partner("new")), s.changes(book, { after: expected.length }))
      )
      expect(next.changes).toEqual([
        { entity: "partner", id: "new", op: "put", revision: 1, sequence: expected.length + 1 }
      ])
    })
  }
)
