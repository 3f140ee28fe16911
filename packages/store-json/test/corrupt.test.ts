import { describe, expect, it } from "@effect/vitest"
import { BookDocument, StoreError } from "@partnerbook/core"
import { Effect } from "effect"
import { lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { book, partner, referral, sha256, storeFile, tempDir, withStore } from "./helpers.js"

/** A valid file with two partners and two referrals, as the store writes it. */
const validText = async (): Promise<string> => {
  const dir = tempDir()
  await withStore(dir, (store) =>
    Effect.gen(function* () {
      yield* store.partners.put(partner("p1"))
      yield* store.partners.put(partner("p2"))
      yield* store.referrals.put(referral("r1", "p1"))
      yield* store.referrals.put(referral("r2", "p2"))
    })
  )
  return readFileSync(storeFile(dir), "utf8")
}

interface Case {
  readonly name: string
  readonly bytes: (valid: string) => Uint8Array | string
  /** What follows the file name in `location`: "" (the whole file), `#path`, or `:line:column`. */
  readonly at: string | RegExp
  readonly reason: RegExp
}

const cases: ReadonlyArray<Case> = [
  { name: "an empty file", bytes: () => "", at: "", reason: /empty/ },
  {
    name: "a truncated file",
    bytes: (valid) => valid.slice(0, Math.floor(valid.length / 2)),
    at: /^:\d+:\d+$/,
    reason: /truncated/
  },
  { name: "a NUL-filled file", bytes: () => new Uint8Array(4096), at: "", reason: /NUL/ },
  {
    name: "invalid JSON",
    bytes: (valid) => valid.replace('"partners": [', '"partners": [,'),
    at: /^:8:\d+$/,
    reason: /invalid JSON/
  },
  { name: "invalid UTF-8", bytes: () => new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), at: "", reason: /UTF-8/ },
  { name: "an array at the top level", bytes: () => "[]\n", at: "", reason: /found an array/ },
  { name: "a string at the top level", bytes: () => '"book"\n', at: "", reason: /found a string/ },
  { name: "null at the top level", bytes: () => "null\n", at: "", reason: /found null/ },
  {
    name: "a plain book document (no store marker)",
    bytes: (valid) => valid.replace(/ {2}"storeFormat".*\n/, ""),
    at: "#storeFormat",
    reason: /not a Partnerbook JSON-store file/
  },
  {
    name: "an unknown (newer) format version",
    bytes: (valid) => valid.replace('"storeVersion": 2', '"storeVersion": 99'),
    at: "#storeVersion",
    reason: /newer version/
  },
  {
    name: "an unknown book document version",
    bytes: (valid) => valid.replace('"version": 1', '"version": 2'),
    at: "#version",
    reason: /unsupported book document version 2/
  },
  {
    name: "a record that violates the schema",
    bytes: (valid) => valid.replace('"date": "2024-03-01T00:00:00.000Z"', '"date": "yesterday"'),
    at: "#referrals.0.date",
    reason: /ISO-8601/
  },
  {
    name: "a record with an unknown field",
    bytes: (valid) => valid.replace('"name": "Partner p2",', '"name": "Partner p2",\n      "nmae": "typo",'),
    at: "#partners.1.nmae",
    reason: /unexpected/
  },
  {
    name: "a record of another book",
    bytes: (valid) =>
      valid.replace(
        '"book": "default",\n      "name": "Partner p2"',
        '"book": "other",\n      "name": "Partner p2"'
      ),
    at: "#partners.1.book",
    reason: /belongs to book "other"/
  },
  {
    name: "a repeated id",
    bytes: (valid) => valid.replace('"id": "p2"', '"id": "p1"'),
    at: "#partners.1.id",
    reason: /duplicate id "p1"/
  },
  {
    name: "another book's file under this book's name",
    bytes: (valid) => valid.replaceAll('"default"', '"someone-else"'),
    at: "#book",
    reason: /holds book "someone-else"/
  }
]

const expectCorrupt = (error: unknown, file: string, c: Case) => {
  expect(error).toBeInstanceOf(StoreError.CorruptStore)
  const corrupt = error as StoreError.CorruptStore
  expect(corrupt.location.startsWith(file)).toBe(true)
  const at = corrupt.location.slice(file.length)
  if (typeof c.at === "string") expect(at).toBe(c.at)
  else expect(at).toMatch(c.at)
  expect(corrupt.reason).toMatch(c.reason)
  expect(corrupt.message).toContain(file)
}

describe("a file that is not a readable book", () => {
  for (const c of cases) {
    it(`${c.name}: CorruptStore naming the file and the place, bytes unchanged, writes refused`, async () => {
      const dir = tempDir()
      const file = storeFile(dir)
      writeFileSync(file, c.bytes(await validText()))
      const before = sha256(file)
      const document = BookDocument.make({
        book,
        profile: null,
        partners: [partner("p9", { revision: 1 })],
        referrals: [],
        interactions: [],
        clients: []
      })
      const errors = await withStore(dir, (store) =>
        Effect.all([
          Effect.flip(store.partners.list(book)),
          Effect.flip(store.partners.get(book, partner("p1").id)),
          Effect.flip(store.window(book, { after: new Date(0), until: new Date() })),
          Effect.flip(store.partners.put(partner("p3"))),
          Effect.flip(store.partners.remove(book, partner("p1").id)),
          Effect.flip(store.referrals.put(referral("r9", "p1"))),
          Effect.flip(store.exportBook(book)),
          Effect.flip(store.importBook(document)),
          Effect.flip(store.transaction(store.profile.find(book)))
        ])
      )
      for (const error of errors) expectCorrupt(error, file, c)
      expect(sha256(file)).toBe(before)
      // Nothing else was left in the folder, and the book is still listed (its file is there).
      expect(readdirSync(dir)).toEqual(["default.json"])
      expect(await withStore(dir, (store) => store.books())).toEqual([book])
      expect(sha256(file)).toBe(before)
    })
  }

  it("other books of the folder stay usable", async () => {
    const dir = tempDir()
    writeFileSync(storeFile(dir), "")
    const other = await withStore(dir, (store) =>
      Effect.gen(function* () {
        yield* store.partners.put(partner("p1", {}, "other" as typeof book))
        return yield* store.partners.list("other" as typeof book)
      })
    )
    expect(other.length).toBe(1)
    expect(readFileSync(storeFile(dir), "utf8")).toBe("")
  })
})

describe("a book file that is a symbolic link", () => {
  it("is refused with CorruptStore, unread: the error never quotes the target, nothing is written", async () => {
    const outside = tempDir()
    const secrets = [
      ["passwd", "root:x:0:0:root:/root:/bin/bash\n"],
      ["book.json", await validText()] // even a valid book elsewhere: the store's files are its own
    ] as const
    for (const [name, content] of secrets) {
      const target = join(outside, name)
      writeFileSync(target, content)
      const dir = tempDir()
      symlinkSync(target, storeFile(dir))
      const read = await withStore(dir, (store) => Effect.flip(store.partners.list(book)))
      const write = await withStore(dir, (store) => Effect.flip(store.partners.put(partner("p9"))))
      const exported = await withStore(dir, (store) => Effect.flip(store.exportBook(book)))
      for (const error of [read, write, exported]) {
        expect(error).toBeInstanceOf(StoreError.CorruptStore)
        const e = error as StoreError.CorruptStore
        expect(e.location).toBe(storeFile(dir))
        expect(e.reason).toMatch(/symbolic link/)
        expect(e.message).not.toContain("root:x")
        expect(e.message).not.toContain("partnerbook/book")
      }
      // The link is still a link, the target unchanged, no temp file left behind.
      expect(lstatSync(storeFile(dir)).isSymbolicLink()).toBe(true)
      expect(readFileSync(target, "utf8")).toBe(content)
      expect(readdirSync(dir)).toEqual(["default.json"])
    }
  })
})
