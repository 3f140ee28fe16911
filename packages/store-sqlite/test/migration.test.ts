/**
 * A database written by release 0.1 (schema 1, `fixtures/v1.db`, made by that code) opens,
 * migrates to the current schema, and loses nothing; two clients on one file cannot lose an
 * update to each other.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { BookDocument, PartnerbookClient, Store } from "@partnerbook/core"
import Sqlite from "better-sqlite3"
import { Effect, Either, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteStore } from "../src/index.js"
import { tempDir } from "./fixtures/temp.js"

const fixture = path.join(import.meta.dirname, "fixtures", "v1.db")
// The same two books, as release 0.1's JSON store wrote them (made by the same script).
const jsonFixture = (book: string) =>
  JSON.parse(
    fs.readFileSync(
      path.join(import.meta.dirname, "../../store-json/test/fixtures/v1", `${book}.json`),
      "utf8"
    )
  )

describe("a version-1 database", () => {
  it("opens, migrates, and keeps every record; the feed lists each record once", async () => {
    const filename = path.join(tempDir(), "v1.db")
    fs.copyFileSync(fixture, filename)
    const runtime = ManagedRuntime.make(SqliteStore.layer({ filename }))
    try {
      for (const book of ["default", "user-42"]) {
        const { storeFormat: _f, storeVersion: _v, ...document } = jsonFixture(book)
        const expected = BookDocument.decode(document)
        if (Either.isLeft(expected)) throw expected.left
        const exported = await runtime.runPromise(
          Effect.flatMap(Store.Store, (store) => store.exportBook(expected.right.book))
        )
        expect(BookDocument.encode(exported)).toEqual(BookDocument.encode(expected.right))
        const feed = await runtime.runPromise(
          Effect.flatMap(Store.Store, (store) => store.changes(expected.right.book))
        )
        const counts = BookDocument.counts(expected.right)
        const total = Object.values(counts).reduce((a, b) => a + b, 0)
        expect(feed.last).toBe(total)
        expect(feed.changes.map((c) => c.sequence)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
        expect(feed.changes[0]).toMatchObject({ entity: "profile", id: book, op: "put" })
      }
    } finally {
      await runtime.dispose()
    }
    // And the migrated file takes new records with external ids and goes on numbering.
    const client = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    try {
      const book = client.book("default")
      const before = await book.changes()
      const p = await book.addPartner({ name: "New", profession: "cpa", externalId: "crm-1" })
      expect((await book.findByExternalId("partner", "crm-1"))?.id).toBe(p.id)
      const after = await book.changes({ after: before.last })
      expect(after.changes).toEqual([
        { sequence: before.last + 1, entity: "partner", id: p.id, op: "put", revision: 1 }
      ])
      expect((await book.listPartners()).length).toBe(3)
    } finally {
      await client.close()
    }
  })

  it("the fixture itself is schema 1 (it stands for a file of release 0.1)", () => {
    const db = new Sqlite(fixture, { readonly: true })
    try {
      const row = db.prepare("SELECT max(migration_id) AS latest FROM partnerbook_migrations").get() as {
        latest: number
      }
      expect(row.latest).toBe(1)
    } finally {
      db.close()
    }
  })
})

describe("two clients on one database file", () => {
  it("the second of two editors of one partner gets RevisionConflict, and the first edit stays", async () => {
    const filename = path.join(tempDir(), "shared.db")
    const alice = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    const bob = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    try {
      const p = await alice.book().addPartner({ name: "Dana Smith", profession: "cpa" })
      const seenByAlice = await alice.book().getPartner(p.id)
      const seenByBob = await bob.book().getPartner(p.id)
      await alice.book().updatePartner(p.id, { notes: "alice" }, { expectedRevision: seenByAlice.revision })
      const error = await bob
        .book()
        .updatePartner(p.id, { notes: "bob" }, { expectedRevision: seenByBob.revision })
        .then(
          () => undefined,
          (e: unknown) => e
        )
      expect(error).toBeInstanceOf(Error)
      expect(error).toMatchObject({ _tag: "RevisionConflict" })
      expect((await bob.book().getPartner(p.id)).notes).toBe("alice")
      // Both processes' writes share one sequence.
      const feed = await bob.book().changes()
      expect(feed.changes).toEqual([{ sequence: 2, entity: "partner", id: p.id, op: "put", revision: 2 }])
    } finally {
      await alice.close()
      await bob.close()
    }
  })
})
