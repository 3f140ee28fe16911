import { describe, expect, it } from "@effect/vitest"
import { BookDocument, Book, Store, StoreError } from "@partnerbook/core"
import { HostileSuite, suite } from "@partnerbook/testkit"
import { Config, Effect, Either, Option } from "effect"
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { JsonStore } from "../src/index.js"
import * as Format from "../src/internal/format.js"
import {
  book,
  folderFingerprint,
  interaction,
  nodeServices,
  partner,
  profile,
  referral,
  sha256,
  storeFile,
  tempDir,
  withStore
} from "./helpers.js"

// The shared conformance suite, with a new empty folder for every store it builds.
suite("JsonStore", () => JsonStore.layer({ directory: tempDir() }))

// Hostile input: every refusal leaves every file of the folder byte-identical.
HostileSuite.suite("JsonStore", () => {
  const directory = tempDir()
  return { layer: JsonStore.layer({ directory }), fingerprint: () => folderFingerprint(directory) }
})

describe("JsonStore", () => {
  it("writes one pretty-printed document per book, keys in schema order, records sorted by id", async () => {
    const dir = tempDir()
    const doc = await withStore(dir, (store) =>
      Effect.gen(function* () {
        yield* store.partners.put(partner("p2"))
        yield* store.partners.put(partner("p1", { tags: ["a", "b"] }))
        yield* store.referrals.put(referral("r1", "p1"))
        yield* store.interactions.put(interaction("i1", "p2"))
        yield* store.profile.put(profile())
        return [yield* store.exportBook(book), yield* store.changes(book)] as const
      })
    )
    const text = readFileSync(storeFile(dir), "utf8")
    const [exported, feed] = doc
    const expected = `${JSON.stringify(
      {
        storeFormat: Format.storeFormat,
        storeVersion: Format.storeVersion,
        ...BookDocument.encode(exported),
        lastSequence: feed.last,
        changes: feed.changes
      },
      null,
      2
    )}\n`
    expect(text).toBe(expected)
    expect(exported.partners.map((p) => p.id)).toEqual(["p1", "p2"])
    expect(readdirSync(dir)).toEqual(["default.json"])
  })

  it("a failed transaction writes nothing, and its reads saw its own writes", async () => {
    const dir = tempDir()
    await withStore(dir, (store) => store.partners.put(partner("p1")))
    const before = sha256(storeFile(dir))
    const result = await withStore(dir, (store) =>
      Effect.either(
        store.transaction(
          Effect.gen(function* () {
            yield* store.partners.put(partner("p2"))
            const seen = yield* store.partners.list(book)
            // a nested transaction joins the outer one
            yield* store.transaction(store.referrals.put(referral("r1", "p2")))
            expect(seen.map((p) => p.id).sort()).toEqual(["p1", "p2"])
            expect(Option.isSome(yield* store.referrals.find(book, referral("r1", "p2").id))).toBe(true)
            return yield* Effect.fail("nope" as const)
          })
        )
      )
    )
    expect(result).toEqual(Either.left("nope"))
    expect(sha256(storeFile(dir))).toBe(before)
    const after = await withStore(dir, (store) =>
      Effect.all([store.partners.list(book), store.referrals.list(book)])
    )
    expect(after[0].map((p) => p.id)).toEqual(["p1"])
    expect(after[1]).toEqual([])
    expect(readdirSync(dir)).toEqual(["default.json"])
  })

  it("a book with no record left keeps its file for the change feed, and is not listed", async () => {
    const dir = tempDir()
    await withStore(dir, (store) =>
      Effect.gen(function* () {
        const p = yield* store.partners.put(partner("p1"))
        expect(yield* store.books()).toEqual([book])
        yield* store.partners.remove(book, p.id)
        expect(yield* store.books()).toEqual([])
        expect(yield* store.partners.list(book)).toEqual([])
      })
    )
    expect(readdirSync(dir)).toEqual(["default.json"])
    const again = await withStore(dir, (store) =>
      Effect.gen(function* () {
        expect(yield* store.books()).toEqual([])
        yield* store.partners.put(partner("p2"))
        return yield* store.changes(book)
      })
    )
    // The sequence goes on after the delete: it is never reused.
    expect(again.changes.map((c) => [c.sequence, c.id, c.op])).toEqual([
      [2, "p1", "delete"],
      [3, "p2", "put"]
    ])
  })

  it("books() sees a transaction's own changes", async () => {
    const dir = tempDir()
    const other = Book.BookId.make("Other Book")
    await withStore(dir, (store) =>
      store.transaction(
        Effect.gen(function* () {
          yield* store.partners.put(partner("p1", {}, other))
          expect(yield* store.books()).toEqual([other])
          yield* store.partners.put(partner("p1"))
          expect(yield* store.books()).toEqual([other, book])
        })
      )
    )
    expect(readdirSync(dir).sort()).toEqual(["%4Fther%20%42ook.json", "default.json"])
  })

  it("sees what another store (or a person) wrote since it last read the file", async () => {
    const dir = tempDir()
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const a = yield* JsonStore.make({ directory: dir })
          const b = yield* JsonStore.make({ directory: dir })
          yield* a.partners.put(partner("p1"))
          expect((yield* b.partners.get(book, partner("p1").id)).name).toBe("Partner p1")
          const p = yield* b.partners.get(book, partner("p1").id)
          yield* b.partners.put(partner("p1", { name: "Renamed", revision: p.revision }))
          expect((yield* a.partners.get(book, p.id)).name).toBe("Renamed")
          // A stale revision from `a`'s point of view still conflicts: the write re-reads.
          const stale = yield* Effect.flip(a.partners.put(partner("p1", { name: "Lost", revision: 1 })))
          expect(stale._tag).toBe("RevisionConflict")
          // An edit in place, same size, by hand.
          const file = storeFile(dir)
          writeFileSync(file, readFileSync(file, "utf8").replace('"Renamed"', '"Edited!"'))
          expect((yield* a.partners.get(book, p.id)).name).toBe("Edited!")
          expect((yield* b.partners.get(book, p.id)).name).toBe("Edited!")
        })
      ).pipe(Effect.provide(nodeServices))
    )
  })

  it("serialises concurrent writers of one process: fibers and two stores", async () => {
    const dir = tempDir()
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const a = yield* JsonStore.make({ directory: dir })
          const b = yield* JsonStore.make({ directory: dir })
          yield* Effect.forEach(
            Array.from({ length: 40 }, (_, i) => i),
            (i) => (i % 2 === 0 ? a : b).referrals.put(referral(`r${i}`, "p1")),
            { concurrency: "unbounded", discard: true }
          )
          expect((yield* a.referrals.list(book)).length).toBe(40)
          expect((yield* b.referrals.list(book)).length).toBe(40)
        })
      ).pipe(Effect.provide(nodeServices))
    )
    expect(readdirSync(dir)).toEqual(["default.json"])
  })

  it("a transaction may span books; each book's file is replaced atomically", async () => {
    const dir = tempDir()
    const other = Book.BookId.make("other")
    await withStore(dir, (store) =>
      store.transaction(
        Effect.all([store.partners.put(partner("p1")), store.partners.put(partner("p1", {}, other))])
      )
    )
    const books = await withStore(dir, (store) => store.books())
    expect(books).toEqual([book, other])
  })

  it("window aggregates the book's referrals (Store.aggregate)", async () => {
    const dir = tempDir()
    const rows = await withStore(dir, (store) =>
      Effect.gen(function* () {
        yield* store.referrals.put(referral("r1", "p1", { status: "engaged", value: 100 }))
        yield* store.referrals.put(referral("r2", "p1", { direction: "received" }))
        yield* store.referrals.put(referral("r3", "p2", { date: new Date("2020-01-01") }))
        const window = { after: new Date("2023-03-01"), until: new Date("2024-03-01") }
        const expected = Store.aggregate(yield* store.referrals.list(book), window)
        const actual = yield* store.window(book, window)
        expect(actual).toEqual(expected)
        return actual
      })
    )
    expect(rows).toEqual([{ partnerId: "p1", given: 1, received: 1, givenValue: 100, receivedValue: 0 }])
  })

  it("layerConfig reads its options from Config", async () => {
    const dir = `${tempDir()}/nested/books`
    const layer = JsonStore.layerConfig({
      directory: Config.succeed(dir),
      lockTimeout: Config.succeed("5 seconds")
    })
    const books = await Effect.runPromise(
      Effect.flatMap(Store.Store, (store) => store.books()).pipe(Effect.provide(layer))
    )
    expect(books).toEqual([])
    expect(existsSync(dir)).toBe(true)
  })

  it("fails with StoreUnavailable when the folder cannot be created", async () => {
    const dir = tempDir()
    writeFileSync(`${dir}/file`, "")
    const error = await Effect.runPromise(
      Effect.flip(Effect.scoped(JsonStore.make({ directory: `${dir}/file/sub` }))).pipe(
        Effect.provide(nodeServices)
      )
    )
    expect(error).toBeInstanceOf(StoreError.StoreUnavailable)
  })
  it("on open, removes temp files of dead writers, not the one of a live writer holding the lock", async () => {
    const dir = tempDir()
    await withStore(dir, (store) => store.partners.put(partner("p1")))
    const before = sha256(storeFile(dir))
    const dead = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))"
    ]).stdout.toString()
    const orphan = `.default.json.${dead}.0123456789abcdef.tmp`
    writeFileSync(join(dir, orphan), "half a document")
    writeFileSync(join(dir, `.default.json.lock.${dead}.0123456789abcdef.tmp`), "{}")
    await withStore(dir, (store) => store.partners.list(book))
    expect(readdirSync(dir)).toEqual(["default.json"])
    // A live writer (pid 1 stands for one) holds the lock: its temp file may be in flight.
    const inFlight = ".default.json.1.fedcba9876543210.tmp"
    writeFileSync(join(dir, inFlight), "being written")
    writeFileSync(join(dir, "default.json.lock"), JSON.stringify({ pid: 1, host: hostname(), token: "t" }))
    await withStore(dir, (store) => store.partners.list(book))
    expect(readdirSync(dir).sort()).toEqual([inFlight, "default.json", "default.json.lock"].sort())
    // Once the writer is gone, the next open clears both.
    writeFileSync(
      join(dir, "default.json.lock"),
      JSON.stringify({ pid: Number(dead), host: hostname(), token: "t" })
    )
    await withStore(dir, (store) => store.partners.list(book))
    expect(readdirSync(dir)).toEqual(["default.json"])
    expect(sha256(storeFile(dir))).toBe(before)
  })

  it("reads a file edited by hand (records out of order, short dates) and writes it back in order", async () => {
    const dir = tempDir()
    await withStore(dir, (store) =>
      Effect.all([store.partners.put(partner("p1")), store.partners.put(partner("p2"))])
    )
    const file = storeFile(dir)
    const json = JSON.parse(readFileSync(file, "utf8"))
    json.partners.reverse()
    json.partners[0].createdAt = "2024-01-01"
    writeFileSync(file, JSON.stringify(json))
    const ids = await withStore(dir, (store) =>
      Effect.gen(function* () {
        const before = (yield* store.partners.list(book)).map((p) => p.id)
        yield* store.referrals.put(referral("r1", "p1"))
        return before
      })
    )
    expect(ids.sort()).toEqual(["p1", "p2"])
    const written = JSON.parse(readFileSync(file, "utf8"))
    expect(written.partners.map((p: { id: string }) => p.id)).toEqual(["p1", "p2"])
    expect(written.partners[1].createdAt).toBe("2024-01-01T00:00:00.000Z")
    expect(readFileSync(file, "utf8")).toMatch(/^\{\n {2}"storeFormat"/)
  })

  it("reads a file of format version 0 and writes the current version on the next write", async () => {
    const dir = tempDir()
    await withStore(dir, (store) => store.partners.put(partner("p1")))
    const file = storeFile(dir)
    const v1 = JSON.parse(readFileSync(file, "utf8"))
    const { id, ...rest } = v1.partners[0]
    const { lastSequence: _l, changes: _c, ...v1Records } = v1
    const v0 = {
      ...v1Records,
      storeVersion: 0,
      partners: { [id]: rest },
      referrals: {},
      interactions: {},
      clients: {}
    }
    writeFileSync(file, JSON.stringify(v0, null, 2))
    const v0Hash = sha256(file)
    const listed = await withStore(dir, (store) => store.partners.list(book))
    expect(listed.map((p) => p.id)).toEqual(["p1"])
    expect(sha256(file)).toBe(v0Hash) // reading never rewrites
    await withStore(dir, (store) => store.referrals.put(referral("r1", "p1")))
    const upgraded = JSON.parse(readFileSync(file, "utf8"))
    expect(upgraded.storeVersion).toBe(Format.storeVersion)
    expect(upgraded.partners).toEqual(v1.partners)
  })
  it("__proto__, constructor and prototype are ordinary ids, book ids and values", async () => {
    const dir = tempDir()
    const odd = ["__proto__", "constructor", "prototype"] as const
    for (const name of odd) {
      await withStore(dir, (store) =>
        Effect.gen(function* () {
          const inBook = Book.BookId.make(name)
          yield* store.profile.put(profile(inBook))
          for (const id of odd)
            yield* store.partners.put(partner(id, { tags: [...odd], notes: name }, inBook))
          yield* store.referrals.put(referral(name, name, {}, inBook))
        })
      )
    }
    const read = await withStore(dir, (store) =>
      Effect.forEach(odd, (name) =>
        Effect.all({
          partners: store.partners.list(Book.BookId.make(name)),
          referral: store.referrals.get(Book.BookId.make(name), referral(name, name).id),
          profile: store.profile.get(Book.BookId.make(name))
        })
      )
    )
    for (const [i, name] of odd.entries()) {
      expect(read[i]!.partners.map((p) => p.id).sort()).toEqual([...odd].sort())
      expect(read[i]!.partners.every((p) => p.tags.join() === odd.join() && p.notes === name)).toBe(true)
      expect(read[i]!.referral.partnerId).toBe(name)
      expect(read[i]!.profile.book).toBe(name)
    }
    expect(await withStore(dir, (store) => store.books())).toEqual([...odd].sort())
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })
})
