/**
 * A folder written by release 0.1 (format version 1, `fixtures/v1/`, made by that code) opens
 * and loses nothing; its next write upgrades the file. Two clients on one folder cannot lose
 * an update to each other.
 */
import { BookDocument, PartnerbookClient, Store } from "@partnerbook/core"
import { Effect, Either, ManagedRuntime } from "effect"
import { cpSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import * as Format from "../src/internal/format.js"
import { JsonStore } from "../src/index.js"
import { sha256, tempDir } from "./helpers.js"

const fixtures = join(import.meta.dirname, "fixtures", "v1")

describe("a version-1 folder", () => {
  it("opens with nothing lost; the feed lists each record once; the next write upgrades the file", async () => {
    const directory = join(tempDir(), "books")
    cpSync(fixtures, directory, { recursive: true })
    const original = JSON.parse(readFileSync(join(fixtures, "default.json"), "utf8"))
    expect(original.storeVersion).toBe(1)
    const hash = sha256(join(directory, "default.json"))
    const runtime = ManagedRuntime.make(JsonStore.layer({ directory }))
    try {
      for (const book of ["default", "user-42"]) {
        const {
          storeFormat: _f,
          storeVersion: _v,
          ...document
        } = JSON.parse(readFileSync(join(fixtures, `${book}.json`), "utf8"))
        const expected = BookDocument.decode(document)
        if (Either.isLeft(expected)) throw expected.left
        const [exported, feed] = await runtime.runPromise(
          Effect.flatMap(Store.Store, (store) =>
            Effect.all([store.exportBook(expected.right.book), store.changes(expected.right.book)])
          )
        )
        expect(BookDocument.encode(exported)).toEqual(BookDocument.encode(expected.right))
        const total = Object.values(BookDocument.counts(expected.right)).reduce((a, b) => a + b, 0)
        expect(feed.last).toBe(total)
        expect(feed.changes.map((c) => c.sequence)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
      }
    } finally {
      await runtime.dispose()
    }
    expect(sha256(join(directory, "default.json"))).toBe(hash) // reading never rewrites
    const client = await PartnerbookClient.open({ store: JsonStore.layer({ directory }) })
    try {
      const p = await client
        .book("default")
        .addPartner({ name: "New", profession: "cpa", externalId: "crm-1" })
      expect((await client.book("default").findByExternalId("partner", "crm-1"))?.id).toBe(p.id)
    } finally {
      await client.close()
    }
    const upgraded = JSON.parse(readFileSync(join(directory, "default.json"), "utf8"))
    expect(upgraded.storeVersion).toBe(Format.storeVersion)
    expect(upgraded.partners.length).toBe(original.partners.length + 1)
    for (const key of ["profile", "referrals", "interactions", "clients"])
      expect(upgraded[key]).toEqual(original[key])
    expect(upgraded.lastSequence).toBe(upgraded.changes.at(-1).sequence)
  })
})

describe("two clients on one folder", () => {
  it("the second of two editors of one partner gets RevisionConflict, and the first edit stays", async () => {
    const directory = tempDir()
    const alice = await PartnerbookClient.open({ store: JsonStore.layer({ directory }) })
    const bob = await PartnerbookClient.open({ store: JsonStore.layer({ directory }) })
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
      expect((await bob.book().changes()).changes).toEqual([
        { sequence: 2, entity: "partner", id: p.id, op: "put", revision: 2 }
      ])
    } finally {
      await alice.close()
      await bob.close()
    }
  })
})
