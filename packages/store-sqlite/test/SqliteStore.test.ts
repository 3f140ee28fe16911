import * as fs from "node:fs"
import * as path from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Book, BookDocument, Partner, Referral, Store } from "@partnerbook/core"
import { HostileSuite, suite } from "@partnerbook/testkit"
import Sqlite from "better-sqlite3"
import { Config, ConfigProvider, Context, Duration, Effect, Exit, Fiber, Layer, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { windowSql } from "../src/internal/tables.js"
import { SqliteStore } from "../src/index.js"
import { filesFingerprint, freshLayer, tempDir } from "./fixtures/temp.js"

// The shared conformance suite, each test (and each property run) on a new file.
suite("SqliteStore", freshLayer)

// Hostile input: every refusal leaves the database and its WAL byte-identical (the -shm
// file is SQLite's shared-memory index, rewritten by readers too).
HostileSuite.suite("SqliteStore", () => {
  const dir = tempDir()
  return {
    layer: SqliteStore.layer({ filename: path.join(dir, "store.db") }),
    fingerprint: () => filesFingerprint(dir, (name) => !name.endsWith("-shm"))
  }
})

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
    ...(i % 4 === 0 ? { value: i * 10 } : {}),
    revision: 0,
    ...overrides
  })

const run = async <A, E>(filename: string, f: (store: Store.Store) => Effect.Effect<A, E>) => {
  const runtime = ManagedRuntime.make(SqliteStore.layer({ filename }))
  try {
    return await runtime.runPromiseExit(Effect.flatMap(Store.Store, f))
  } finally {
    await runtime.dispose()
  }
}

const failureOf = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

describe("SqliteStore", () => {
  it("a row that does not decode is CorruptStore naming the table and the row", async () => {
    const filename = path.join(tempDir(), "rows.db")
    await run(filename, (store) =>
      Effect.all([store.referrals.put(referral(1)), store.referrals.put(referral(2))])
    )
    const db = new Sqlite(filename)
    db.prepare("UPDATE partnerbook_referrals SET data = ? WHERE id = ?").run("{not json", "r000001")
    db.prepare("UPDATE partnerbook_referrals SET data = json_set(data, '$.status', 'lost') WHERE id = ?").run(
      "r000002"
    )
    db.close()
    const bytes = fs.readFileSync(filename)

    const notJson = failureOf(await run(filename, (store) => store.referrals.get(book, referral(1).id)))
    expect(notJson?._tag).toBe("CorruptStore")
    expect(notJson?._tag === "CorruptStore" && notJson.location).toBe(
      `${filename} (table partnerbook_referrals, book "b", id "r000001")`
    )
    expect(notJson?.message).toMatch(/not JSON/)

    const badStatus = failureOf(await run(filename, (store) => store.referrals.get(book, referral(2).id)))
    expect(badStatus?._tag).toBe("CorruptStore")
    expect(badStatus?.message).toMatch(/r000002/)
    expect(badStatus?.message).toMatch(/referral schema[\s\S]*status/)

    const listed = failureOf(await run(filename, (store) => store.referrals.list(book)))
    expect(listed?._tag).toBe("CorruptStore")
    // A write over the unreadable row is refused too, and changes nothing.
    const overwrite = failureOf(await run(filename, (store) => store.referrals.put(referral(1))))
    expect(overwrite?._tag).toBe("CorruptStore")
    expect(overwrite?.message).toMatch(/r000001/)
    expect(fs.readFileSync(filename).equals(bytes)).toBe(true)
  })

  it("imports across several multi-row INSERT chunks, and exports the same document", async () => {
    const filename = path.join(tempDir(), "import.db")
    const referrals = Array.from({ length: 9_001 }, (_, i) => referral(i, { revision: 1 + (i % 3) }))
    const document = BookDocument.make({
      book,
      profile: null,
      partners: [],
      referrals,
      interactions: [],
      clients: []
    })
    const exit = await run(filename, (store) =>
      Effect.gen(function* () {
        const summary = yield* store.importBook(document)
        const exported = yield* store.exportBook(book)
        const window = { after: new Date(Date.UTC(2024, 2, 1)), until: new Date(Date.UTC(2024, 8, 1)) }
        return {
          summary,
          exported,
          window: yield* store.window(book, window),
          expected: Store.aggregate(referrals, window)
        }
      })
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    if (Exit.isFailure(exit)) return
    expect(exit.value.summary.referrals).toBe(9_001)
    expect(BookDocument.encode(exit.value.exported)).toEqual(BookDocument.encode(document))
    expect(exit.value.window).toEqual(exit.value.expected)
    expect(exit.value.window.length).toBe(37)
  })

  it("the window aggregate is one query on the covering index", () => {
    const filename = path.join(tempDir(), "plan.db")
    return run(filename, () => Effect.void).then(() => {
      const db = new Sqlite(filename, { readonly: true })
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${windowSql}`)
        .all("b", 0, 1)
        .map((row) => (row as { detail: string }).detail)
      db.close()
      expect(plan.join("\n")).toMatch(
        /USING COVERING INDEX partnerbook_referrals_window \(book=\? AND date>\? AND date<\?\)/
      )
    })
  })

  it("an interrupted transaction leaves nothing behind and the store stays usable", async () => {
    const filename = path.join(tempDir(), "interrupt.db")
    const exit = await run(filename, (store) =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(
          store.transaction(
            Effect.gen(function* () {
              yield* store.referrals.put(referral(1))
              yield* Effect.sleep(Duration.seconds(10))
            })
          )
        )
        yield* Effect.sleep(Duration.millis(50))
        yield* Fiber.interrupt(fiber)
        const after = yield* store.referrals.list(book)
        yield* store.referrals.put(referral(2))
        return { after, later: yield* store.referrals.list(book) }
      })
    )
    expect(Exit.isSuccess(exit) && exit.value.after).toEqual([])
    expect(Exit.isSuccess(exit) && exit.value.later.map((r) => r.id)).toEqual(["r000002"])
  })

  it("fibers of one process take turns: concurrent read-then-write transactions lose nothing", async () => {
    const filename = path.join(tempDir(), "fibers.db")
    const id = Partner.PartnerId.make("p")
    const exit = await run(filename, (store) =>
      Effect.gen(function* () {
        yield* store.partners.put(
          Partner.Partner.make({
            id,
            book,
            name: "P",
            profession: "cpa" as never,
            kind: "complementary",
            stage: "identified",
            tags: [],
            notes: "",
            createdAt: new Date(0),
            revision: 0
          })
        )
        const bump = store.transaction(
          Effect.gen(function* () {
            const p = yield* store.partners.get(book, id)
            yield* Effect.yieldNow()
            yield* store.partners.put(Partner.Partner.make({ ...p, notes: `${p.notes}.` }))
          })
        )
        yield* Effect.all(
          Array.from({ length: 50 }, () => bump),
          { concurrency: "unbounded" }
        )
        return yield* store.partners.get(book, id)
      })
    )
    expect(Exit.isSuccess(exit) && exit.value.notes).toBe(".".repeat(50))
  })

  it("make: on the caller's own SqliteClient, joining the caller's transaction", async () => {
    const filename = path.join(tempDir(), "client.db")
    const program = Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* SqliteStore.make()
      yield* sql`CREATE TABLE crm_notes (text TEXT NOT NULL)`
      // The caller's transaction on the same client: store writes join it (no deadlock)...
      yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO crm_notes VALUES ('kept')`
          yield* store.referrals.put(referral(1))
        })
      )
      // ...and roll back with it.
      const failed = yield* Effect.exit(
        sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO crm_notes VALUES ('dropped')`
            yield* store.referrals.put(referral(2))
            return yield* Effect.fail("boom")
          })
        )
      )
      // The store's own transaction makes the caller's statements on the client join it.
      yield* store.transaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO crm_notes VALUES ('joined')`
          yield* store.referrals.put(referral(3))
        })
      )
      return {
        failed: Exit.isFailure(failed),
        notes: (yield* sql<{ text: string }>`SELECT text FROM crm_notes ORDER BY rowid`).map((r) => r.text),
        ids: (yield* store.referrals.list(book)).map((r) => r.id as string).sort()
      }
    })
    const result = await Effect.runPromise(program.pipe(Effect.provide(SqliteClient.layer({ filename }))))
    expect(result).toEqual({ failed: true, notes: ["kept", "joined"], ids: ["r000001", "r000003"] })
  })

  it("two stores on two files: a write in one store's transaction lands in the other file", async () => {
    const dir = tempDir()
    const layerA = Layer.fresh(SqliteStore.layer({ filename: path.join(dir, "a.db") }))
    const program = Effect.gen(function* () {
      const a = yield* Store.Store
      const b = Context.get(
        yield* Layer.build(SqliteStore.layer({ filename: path.join(dir, "b.db") })),
        Store.Store
      )
      yield* a.transaction(Effect.all([a.referrals.put(referral(1)), b.referrals.put(referral(2))]))
      return {
        a: (yield* a.referrals.list(book)).map((r) => r.id as string),
        b: (yield* b.referrals.list(book)).map((r) => r.id as string)
      }
    })
    const result = await Effect.runPromise(Effect.scoped(program.pipe(Effect.provide(layerA))))
    expect(result).toEqual({ a: ["r000001"], b: ["r000002"] })
  })

  it("layerConfig reads the file name from a Config", async () => {
    const filename = path.join(tempDir(), "configured.db")
    const layer = SqliteStore.layerConfig({ filename: Config.string("PARTNERBOOK_DB") }).pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PARTNERBOOK_DB", filename]]))))
    )
    const books = await Effect.runPromise(
      Effect.flatMap(Store.Store, (store) =>
        Effect.zipRight(store.referrals.put(referral(1)), store.books())
      ).pipe(Effect.provide(layer))
    )
    expect(books).toEqual(["b"])
    expect(fs.existsSync(filename)).toBe(true)
  })

  it("books are listed in JavaScript string order, queries ignore NaN bounds like Store.matches", async () => {
    const filename = path.join(tempDir(), "books.db")
    const emoji = Book.BookId.make("😀")
    const high = Book.BookId.make("\uFFFD")
    const exit = await run(filename, (store) =>
      Effect.gen(function* () {
        for (const b of [emoji, high, other, book]) yield* store.referrals.put(referral(1, { book: b }))
        const nan = new Date(Number.NaN)
        return {
          books: yield* store.books(),
          listed: (yield* store.referrals.list(book, { after: nan, until: nan })).length,
          window: (yield* store.window(book, { after: nan, until: nan })).length
        }
      })
    )
    expect(exit).toEqual(Exit.succeed({ books: ["b", "other", "😀", "\uFFFD"], listed: 1, window: 1 }))
  })
})
