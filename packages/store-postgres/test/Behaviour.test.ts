import * as PgClient from "@effect/sql-pg/PgClient"
import {
  Book,
  BookDocument,
  Partner,
  PartnerbookClient,
  Profession,
  Referral,
  Store
} from "@partnerbook/core"
import {
  Cause,
  Config,
  ConfigProvider,
  Duration,
  Effect,
  Exit,
  Fiber,
  Layer,
  ManagedRuntime,
  Option,
  Redacted
} from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { PostgresStore } from "../src/index.js"
import {
  adminSql,
  dropSchema,
  freshLayer,
  requireUrl,
  skip,
  skipReason,
  uniqueSchema
} from "./fixtures/server.js"

const book = Book.BookId.make("b")
const other = Book.BookId.make("other")

const referral = (i: number, overrides: Partial<Referral.Referral> = {}) =>
  Referral.Referral.make({
    id: Referral.ReferralId.make(`r${String(i).padStart(6, "0")}`),
    book,
    partnerId: Partner.PartnerId.make(`p${i % 37}`),
    direction: i % 3 === 0 ? "received" : "given",
    client: `client ${i}`,
    date: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000),
    status: i % 4 === 0 ? "engaged" : "introduced",
    ...(i % 4 === 0 ? { value: i * 10 + 0.25 } : {}),
    revision: 0,
    ...overrides
  })

const partner = (id: string, b: Book.BookId = book) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book: b,
    name: `Partner ${id}`,
    profession: Profession.ProfessionId.make("cpa"),
    kind: "complementary",
    stage: "identified",
    tags: [],
    notes: "",
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    revision: 0
  })

const run = async <A, E>(
  layer: Layer.Layer<Store.Store, unknown>,
  f: (store: Store.Store) => Effect.Effect<A, E>
) => {
  const runtime = ManagedRuntime.make(layer)
  try {
    return await runtime.runPromiseExit(Effect.flatMap(Store.Store, f))
  } finally {
    await runtime.dispose()
  }
}

type Tagged = { readonly _tag: string; readonly message: string }

const failureOf = <A, E>(exit: Exit.Exit<A, E>): (E & Tagged) | undefined =>
  Exit.isFailure(exit) ? (Option.getOrUndefined(Cause.failureOption(exit.cause)) as E & Tagged) : undefined

const successOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
  return exit.value
}

const schemas: Array<string> = []
/** A schema name for a test that opens the store several times; dropped after the file. */
const schemaFor = (prefix: string) => {
  const s = uniqueSchema(prefix)
  schemas.push(s)
  return s
}
afterAll(async () => {
  if (!skip) for (const s of schemas.splice(0)) await dropSchema(s)
})

const urlWith = (mutate: (u: URL) => void): string => {
  const u = new URL(requireUrl())
  mutate(u)
  return u.toString()
}

const SECRET = "s3cr3t-Pa55word"

describe.skipIf(skip)(`PostgresStore${skip ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("configuration: an invalid schema or URL is StoreUnavailable naming the field", async () => {
    for (const [config, field] of [
      [{ url: requireUrl(), schema: "Bad-Name" }, "schema"],
      [{ url: requireUrl(), schema: "1abc" }, "schema"],
      [{ url: requireUrl(), schema: "pg_mine" }, "schema"],
      [{ url: "mysql://x@localhost/db" }, "url"],
      [{ url: requireUrl(), maxConnections: 0 }, "maxConnections"]
    ] as const) {
      const error = failureOf(await run(PostgresStore.layer(config), (store) => store.books()))
      expect(error?._tag).toBe("StoreUnavailable")
      expect(error?.message).toContain(`invalid configuration: ${field}:`)
    }
  })

  it("a server that is not there, or a missing database: StoreUnavailable, the password redacted", async () => {
    const nobody = urlWith((u) => {
      u.port = "1"
      u.password = SECRET
    })
    const missingDb = urlWith((u) => {
      u.password = SECRET
      u.pathname = "/no_such_database_here"
    })
    for (const url of [nobody, missingDb]) {
      const exit = await run(PostgresStore.layer({ url, connectTimeoutMs: 3000 }), (store) => store.books())
      const error = failureOf(exit)
      expect(error?._tag).toBe("StoreUnavailable")
      expect(error?.message).toContain(":***@")
      expect(error?.message).not.toContain(SECRET)
      expect(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty)).not.toContain(SECRET)
      expect(JSON.stringify(error)).not.toContain(SECRET)
    }
    expect(PostgresStore.redact(`postgres://u:${SECRET}@h:5/d?password=${SECRET}`)).toBe(
      "postgres://u:***@h:5/d?password=***"
    )
  })

  it("layerConfig reads the URL (redacted) and the schema from a Config", async () => {
    const schema = schemaFor("config")
    const layer = PostgresStore.layerConfig({
      url: Config.redacted("DATABASE_URL"),
      schema: Config.string("PARTNERBOOK_SCHEMA")
    }).pipe(
      Layer.provide(
        Layer.setConfigProvider(
          ConfigProvider.fromMap(
            new Map([
              ["DATABASE_URL", requireUrl()],
              ["PARTNERBOOK_SCHEMA", schema]
            ])
          )
        )
      )
    )
    successOf(await run(layer, (store) => store.partners.put(partner("p1"))))
    const rows = await adminSql((sql) => sql.unsafe<{ id: string }>(`SELECT id FROM "${schema}".partners`))
    expect(rows.map((r) => r.id)).toEqual(["p1"])
  })

  it("make: on the application's own PgClient, store calls join the application's transaction", async () => {
    const schema = schemaFor("shared")
    const program = Effect.gen(function* () {
      const sql = yield* PgClient.PgClient
      const store = yield* PostgresStore.make({ schema })
      yield* sql.unsafe(`CREATE TABLE "${schema}".crm_events (note text)`)
      // The application's transaction fails after a store write and its own insert: both go.
      const failed = yield* Effect.flip(
        sql.withTransaction(
          Effect.gen(function* () {
            yield* store.partners.put(partner("rolled-back"))
            yield* sql.unsafe(`INSERT INTO "${schema}".crm_events VALUES ('rolled back')`)
            return yield* Effect.fail("the CRM changed its mind" as const)
          })
        )
      )
      // ...and one that succeeds keeps both.
      yield* sql.withTransaction(
        Effect.zipRight(
          store.partners.put(partner("kept")),
          sql.unsafe(`INSERT INTO "${schema}".crm_events VALUES ('kept')`)
        )
      )
      const events = yield* sql.unsafe<{ note: string }>(`SELECT note FROM "${schema}".crm_events`)
      const partners = yield* store.partners.list(book)
      return { failed, events: events.map((e) => e.note), partners: partners.map((p) => p.id) }
    })
    const out = await Effect.runPromise(
      program.pipe(Effect.provide(PgClient.layer({ url: Redacted.make(requireUrl()) })))
    )
    expect(out).toEqual({ failed: "the CRM changed its mind", events: ["kept"], partners: ["kept"] })
  })

  it("several instances opening a new schema at once migrate it once", async () => {
    const schema = schemaFor("mig")
    const exits = await Promise.all(
      Array.from({ length: 6 }, () =>
        run(PostgresStore.layer({ url: requireUrl(), schema }), (s) => s.books())
      )
    )
    for (const exit of exits) expect(successOf(exit)).toEqual([])
    const rows = await adminSql((sql) => sql.unsafe<{ id: number }>(`SELECT id FROM "${schema}".migrations`))
    expect(rows.map((r) => r.id)).toEqual([1, 2])
  })

  it("two books in one database, and two schemas in one database, stay apart", async () => {
    const s1 = schemaFor("apart")
    const s2 = schemaFor("apart")
    const layer = (schema: string) => PostgresStore.layer({ url: requireUrl(), schema })
    successOf(
      await run(layer(s1), (store) =>
        Effect.all([
          store.partners.put(partner("same")),
          store.partners.put(partner("same", other)),
          store.referrals.put(referral(1)),
          store.referrals.put(referral(2, { book: other }))
        ])
      )
    )
    successOf(await run(layer(s2), (store) => store.partners.put(partner("same"))))
    const seen = successOf(
      await run(layer(s1), (store) =>
        Effect.all({
          books: store.books(),
          b: store.referrals.list(book),
          other: store.referrals.list(other),
          windowB: store.window(book, { after: new Date(0), until: new Date(Date.UTC(2030, 0, 1)) })
        })
      )
    )
    expect(seen.books).toEqual(["b", "other"])
    expect(seen.b.map((r) => r.id)).toEqual(["r000001"])
    expect(seen.other.map((r) => r.id)).toEqual(["r000002"])
    expect(seen.windowB).toEqual(
      Store.aggregate(seen.b, { after: new Date(0), until: new Date(Date.UTC(2030, 0, 1)) })
    )
    const second = successOf(
      await run(layer(s2), (store) =>
        Effect.all({ books: store.books(), p: store.partners.get(book, partner("same").id) })
      )
    )
    expect(second.books).toEqual(["b"])
    // Written once in its own schema: revision 1, not 2.
    expect(second.p.revision).toBe(1)
  })

  it("N connections incrementing one record: no increment lost, none refused", async () => {
    const schema = schemaFor("counter")
    const counterId = Partner.PartnerId.make("counter")
    successOf(
      await run(PostgresStore.layer({ url: requireUrl(), schema }), (s) => s.partners.put(partner("counter")))
    )
    const bump = (store: Store.Store) =>
      store.transaction(
        Effect.gen(function* () {
          const current = yield* store.partners.get(book, counterId)
          yield* store.partners.put(Partner.Partner.make({ ...current, notes: `${current.notes}.` }))
        })
      )
    const clients = 4
    const rounds = 25
    // Each client its own layer: its own pool of connections.
    const exits = await Promise.all(
      Array.from({ length: clients }, () =>
        run(PostgresStore.layer({ url: requireUrl(), schema, maxConnections: 3 }), (store) =>
          Effect.forEach(Array.from({ length: rounds }), () => bump(store), { concurrency: 3, discard: true })
        )
      )
    )
    for (const exit of exits) successOf(exit)
    const counter = successOf(
      await run(PostgresStore.layer({ url: requireUrl(), schema }), (s) => s.partners.get(book, counterId))
    )
    expect(counter.notes).toHaveLength(clients * rounds)
    expect(counter.revision).toBe(clients * rounds + 1)
  })

  it("N connections creating the same new record: exactly one wins, the others get RevisionConflict", async () => {
    const schema = schemaFor("create")
    const layers = Array.from({ length: 5 }, () =>
      ManagedRuntime.make(PostgresStore.layer({ url: requireUrl(), schema }))
    )
    try {
      const exits = await Promise.all(
        layers.map((rt, i) =>
          rt.runPromiseExit(
            Effect.flatMap(Store.Store, (s) =>
              s.partners.put(Partner.Partner.make({ ...partner("new"), notes: `by ${i}` }))
            )
          )
        )
      )
      const won = exits.filter(Exit.isSuccess)
      expect(won).toHaveLength(1)
      for (const exit of exits.filter(Exit.isFailure)) {
        const error = failureOf(exit)
        expect(error?._tag).toBe("RevisionConflict")
        // The loser waited for the winner's commit, then saw its revision.
        expect(error?._tag === "RevisionConflict" && [error.expected, error.actual]).toEqual([0, 1])
      }
      const stored = await layers[0]!.runPromise(
        Effect.flatMap(Store.Store, (s) => s.partners.get(book, partner("new").id))
      )
      expect(stored.notes).toBe(won[0]!.value.notes)
    } finally {
      await Promise.all(layers.map((rt) => rt.dispose()))
    }
  })

  it("two imports into the same empty book at once: one lands, the other is BookNotEmpty", async () => {
    const schema = schemaFor("imports")
    const referrals = Array.from({ length: 500 }, (_, i) => referral(i, { revision: 1 }))
    const document = BookDocument.make({
      book,
      profile: null,
      partners: [],
      referrals,
      interactions: [],
      clients: []
    })
    const exits = await Promise.all(
      Array.from({ length: 3 }, () =>
        run(PostgresStore.layer({ url: requireUrl(), schema }), (store) => store.importBook(document))
      )
    )
    expect(exits.filter(Exit.isSuccess)).toHaveLength(1)
    for (const exit of exits.filter(Exit.isFailure)) expect(failureOf(exit)?._tag).toBe("BookNotEmpty")
    const stored = successOf(
      await run(PostgresStore.layer({ url: requireUrl(), schema }), (s) => s.exportBook(book))
    )
    expect(BookDocument.encode(stored)).toEqual(BookDocument.encode(document))
  })

  it("the window aggregate is pushed into SQL: equals the reference, on an index-only scan", async () => {
    const schema = schemaFor("window")
    const referrals = Array.from({ length: 3_001 }, (_, i) => referral(i, { revision: 1 }))
    const document = BookDocument.make({
      book,
      profile: null,
      partners: [],
      referrals,
      interactions: [],
      clients: []
    })
    const w = { after: new Date(Date.UTC(2024, 1, 1)), until: new Date(Date.UTC(2024, 3, 1)) }
    const out = successOf(
      await run(PostgresStore.layer({ url: requireUrl(), schema }), (store) =>
        Effect.gen(function* () {
          yield* store.importBook(document)
          yield* store.importBook(BookDocument.rebook(document, other))
          return { window: yield* store.window(book, w), exported: yield* store.exportBook(book) }
        })
      )
    )
    expect(out.window).toEqual(Store.aggregate(referrals, w))
    expect(out.window.length).toBe(37)
    expect(BookDocument.encode(out.exported)).toEqual(BookDocument.encode(document))
    const plan = await adminSql((sql) =>
      Effect.gen(function* () {
        yield* sql.unsafe(`VACUUM ANALYZE "${schema}".referrals`)
        return yield* sql.unsafe<{ "QUERY PLAN": string }>(
          `EXPLAIN SELECT partner_id, count(*) FROM "${schema}".referrals WHERE book = 'b' AND date > 0 AND date <= 1 GROUP BY partner_id`
        )
      })
    )
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Index Only Scan using referrals_window/)
  })

  it("a row that does not decode is CorruptStore naming the schema, table, book and id", async () => {
    const schema = schemaFor("corrupt")
    const layer = PostgresStore.layer({ url: requireUrl(), schema })
    successOf(
      await run(layer, (store) =>
        Effect.all([store.referrals.put(referral(1)), store.referrals.put(referral(2))])
      )
    )
    await adminSql((sql) =>
      Effect.all([
        sql.unsafe(`UPDATE "${schema}".referrals SET data = '{not json' WHERE id = 'r000001'`),
        sql.unsafe(
          `UPDATE "${schema}".referrals SET data = replace(data, '"introduced"', '"lost"') WHERE id = 'r000002'`
        )
      ])
    )
    const notJson = failureOf(await run(layer, (store) => store.referrals.get(book, referral(1).id)))
    expect(notJson?._tag).toBe("CorruptStore")
    expect(notJson?.message).toContain(`table ${schema}.referrals, book "b", id "r000001"`)
    expect(notJson?.message).toMatch(/not JSON/)
    const badStatus = failureOf(await run(layer, (store) => store.referrals.list(book)))
    expect(badStatus?._tag).toBe("CorruptStore")
    const dropped = await adminSql((sql) => Effect.as(sql.unsafe(`DROP TABLE "${schema}".clients`), true))
    expect(dropped).toBe(true)
    const missing = failureOf(await run(layer, (store) => store.clients.list(book)))
    expect(missing?._tag).toBe("CorruptStore")
    expect(missing?.message).toMatch(/missing or were altered/)
  })

  it("an interrupted transaction leaves nothing behind and the store stays usable", async () => {
    const exit = await run(freshLayer(), (store) =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(
          store.transaction(
            Effect.gen(function* () {
              yield* store.referrals.put(referral(1))
              yield* Effect.sleep(Duration.seconds(10))
            })
          )
        )
        yield* Effect.sleep(Duration.millis(200))
        yield* Fiber.interrupt(fiber)
        const after = yield* store.referrals.list(book)
        yield* store.referrals.put(referral(2))
        return { after, later: yield* store.referrals.list(book) }
      })
    )
    expect(successOf(exit).after).toEqual([])
    expect(successOf(exit).later.map((r) => r.id)).toEqual(["r000002"])
  })

  it("ids PostgreSQL text cannot hold are refused as InvalidData, and never found", async () => {
    const exit = await run(freshLayer(), (store) =>
      Effect.gen(function* () {
        const refused = yield* Effect.flip(store.partners.put(partner("nul\u0000id")))
        // The Partner schema refuses a lone surrogate itself: build it unvalidated, as a caller
        // skipping validation could, to reach the store's own check.
        const lone = yield* Effect.flip(
          store.partners.put(
            new Partner.Partner(
              { ...partner("x"), id: "x\ud800" as Partner.PartnerId },
              { disableValidation: true }
            )
          )
        )
        const found = yield* store.partners.find(book, Partner.PartnerId.make("nul\u0000id"))
        return { refused, lone, found, books: yield* store.books() }
      })
    )
    const out = successOf(exit)
    expect(out.refused._tag).toBe("InvalidData")
    expect(out.refused.message).toMatch(/partner\.id/)
    expect(out.lone._tag).toBe("InvalidData")
    expect(Option.isNone(out.found)).toBe(true)
    expect(out.books).toEqual([])
  })

  it("works from plain async/await: PartnerbookClient over PostgreSQL, errors with _tag", async () => {
    const schema = schemaFor("client")
    const client = await PartnerbookClient.open({ store: PostgresStore.layer({ url: requireUrl(), schema }) })
    try {
      const pb = client.book("user-1")
      await pb.setProfile({ name: "Maria Lopez", profession: "estate-planning-attorney" })
      const dana = await pb.addPartner({ name: "Dana Smith", profession: "cpa", alignment: 0.8 })
      await pb.receiveReferral({ partnerId: dana.id, date: "2026-10-02" })
      const matrix = await pb.matrix({ asOf: "2026-11-23" })
      expect((await pb.getProfile())?.name).toBe("Maria Lopez")
      expect(matrix.map((p) => [p.partnerId, p.received])).toEqual([[dana.id, 1]])
    } finally {
      await client.close()
    }
    const error = await PartnerbookClient.open({
      store: PostgresStore.layer({
        url: urlWith((u) => {
          u.port = "1"
          u.password = SECRET
        })
      })
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { _tag?: string }
    )
    expect(error).toBeInstanceOf(Error)
    expect(error?._tag).toBe("StoreUnavailable")
    expect(error?.message).not.toContain(SECRET)
  })
})
