import { describe, expect, it } from "@effect/vitest"
import { Book, Partner } from "@partnerbook/core"
import { Effect } from "effect"
import fc from "fast-check"
import { existsSync, readdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import * as FileName from "../src/internal/fileName.js"
import { partner, tempDir, withStore } from "./helpers.js"

const hostile = [
  "../x",
  "../../etc/passwd",
  "/etc/passwd",
  "a\0b",
  "..",
  ".",
  ".hidden",
  "CON",
  "con",
  "nul",
  "Com1",
  "lpt9",
  "a/b\\c",
  "C:\\Windows",
  "x.json",
  "x.json.lock",
  ".x.json.1.0123456789abcdef.tmp",
  "%41",
  "%u0041",
  "~abc",
  "Alice",
  "alice",
  "ALICE",
  "__proto__",
  "constructor",
  "prototype",
  "\uD800",
  "\uFFFD",
  "é",
  "e\u0301",
  "日本",
  "a".repeat(200),
  "é".repeat(200)
]

/** Any JS string, lone surrogates included. */
const anyString = fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.constantFrom(...hostile))

describe("file names", () => {
  it("round-trips every id and uses only [a-z0-9_%A-Fu-] (or a hash)", () => {
    fc.assert(
      fc.property(anyString, (id) => {
        const stem = FileName.stemOf(id)
        expect(stem).toMatch(/^([a-z0-9_%A-Fu-]+|~[0-9a-f]{64})$/)
        if (FileName.isHashed(stem)) expect(FileName.bookOfStem(stem)).toBeUndefined()
        else expect(FileName.bookOfStem(stem)).toBe(id)
      }),
      { numRuns: 2000 }
    )
  })

  it("never names a file outside the folder, a hidden file or a device", () => {
    const dir = "/srv/books"
    for (const id of hostile) {
      const name = FileName.fileNameOf(id)
      const full = resolve(dir, name)
      expect(dirname(full)).toBe(dir)
      expect(name.startsWith(".")).toBe(false)
      expect(name).not.toMatch(/[/\\\0:]/)
      expect(name.split(".")[0]!.toLowerCase()).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/)
      expect(Buffer.byteLength(FileName.tempNameOf(name, 4194304, "0123456789abcdef"))).toBeLessThanOrEqual(
        255
      )
    }
  })

  it("is injective even on a case-insensitive file system", () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        fc.pre(a !== b)
        expect(FileName.stemOf(a).toLowerCase()).not.toBe(FileName.stemOf(b).toLowerCase())
      }),
      { numRuns: 2000 }
    )
    const names = new Set(hostile.map((id) => FileName.fileNameOf(id).toLowerCase()))
    expect(names.size).toBe(new Set(hostile).size)
  })

  it("ignores names it did not write", () => {
    for (const stem of ["Alice", "%61", "%u0041", "%4", "%zz", "con", "a.b", "", "%2e"]) {
      expect(FileName.bookOfStem(stem)).toBeUndefined()
    }
  })

  it("books() lists hostile ids back, and every file stays inside the folder", async () => {
    const root = tempDir()
    const dir = join(root, "books")
    const candidates = hostile.filter((id) => id.trim() === id && id.length > 0)
    // A lone surrogate is not an id (it cannot round-trip through UTF-8): refused, never stored.
    const malformed = candidates.filter((id) => /\p{Surrogate}/u.test(id))
    expect(malformed.length).toBeGreaterThan(0)
    const ids = candidates.filter((id) => !malformed.includes(id)).map((id) => Book.BookId.make(id))
    const listed = await withStore(dir, (store) =>
      Effect.gen(function* () {
        for (const id of malformed) {
          const record = new Partner.Partner(
            { ...partner("p1"), book: id as Book.BookId },
            { disableValidation: true }
          )
          const refused = yield* Effect.flip(store.partners.put(record))
          expect(refused._tag).toBe("InvalidData")
        }
        for (const id of ids) yield* store.partners.put(partner("p1", {}, id))
        for (const id of ids) expect((yield* store.partners.list(id)).map((p) => p.book)).toEqual([id])
        return yield* store.books()
      })
    )
    expect(listed).toEqual([...new Set(ids)].sort())
    expect(readdirSync(root)).toEqual(["books"])
    expect(readdirSync(dir).length).toBe(new Set(ids).size)
    expect(existsSync("/etc/passwd.json")).toBe(false)
  })
})
