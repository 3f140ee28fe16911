import * as fs from "node:fs"
import * as path from "node:path"
import { BookDocument, PartnerbookClient } from "@partnerbook/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteStore } from "../src/index.js"
import { tempDir } from "./fixtures/temp.js"

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    return error as { readonly _tag: string; readonly message: string }
  }
  throw new Error("expected a rejection")
}

const exportOf = async (filename: string, book = "default") => {
  const client = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
  try {
    return JSON.stringify(BookDocument.encode(await client.book(book).exportBook()))
  } finally {
    await client.close()
  }
}

describe("SqliteStore.backup", () => {
  it("copies an open store with what is still in its -wal, as one self-contained file", async () => {
    const dir = tempDir()
    const filename = path.join(dir, "partnerbook.db")
    const client = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    try {
      const book = client.book()
      const first = await book.addPartner({ name: "Partner 0", profession: "cpa" })
      for (let i = 1; i < 20; i++) await book.addPartner({ name: `Partner ${i}`, profession: "cpa" })
      await book.giveReferral({ partnerId: first.id, date: "2026-01-05" })
      const expected = JSON.stringify(BookDocument.encode(await book.exportBook()))
      // The store is open and its recent writes are only in the -wal: the .db alone is not a backup.
      expect(fs.statSync(`${filename}-wal`).size).toBeGreaterThan(0)
      const naive = path.join(tempDir(), "copied.db")
      fs.copyFileSync(filename, naive)
      expect(await exportOf(naive).catch(() => "unreadable")).not.toBe(expected)

      const destination = path.join(tempDir(), "backup.db")
      const summary = await SqliteStore.backupPromise({ filename, destination })
      expect(summary.destination).toBe(destination)
      expect(summary.pages).toBeGreaterThan(0)
      expect(summary.bytes).toBe(fs.statSync(destination).size)
      // One file, nothing beside it, and the store keeps working.
      expect(fs.readdirSync(path.dirname(destination))).toEqual(["backup.db"])
      await book.addPartner({ name: "After the backup", profession: "cpa" })
      expect(await exportOf(destination)).toBe(expected)
    } finally {
      await client.close()
    }
  })

  it("never overwrites: an existing destination is StoreUnavailable and stays byte-identical", async () => {
    const dir = tempDir()
    const filename = path.join(dir, "partnerbook.db")
    const client = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
    await client.book().addPartner({ name: "Dana", profession: "cpa" })
    await client.close()
    const destination = path.join(dir, "existing.db")
    fs.writeFileSync(destination, "precious")
    const error = await rejection(SqliteStore.backupPromise({ filename, destination }))
    expect(error._tag).toBe("StoreUnavailable")
    expect(error.message).toContain("never overwrites")
    expect(fs.readFileSync(destination, "utf8")).toBe("precious")
    expect(fs.readdirSync(dir).filter((name) => name.includes("backup-tmp"))).toEqual([])
  })

  it("a source that is not a database is CorruptStore; a missing one StoreUnavailable; nothing is written", async () => {
    const dir = tempDir()
    const source = path.join(dir, "notes.db")
    fs.writeFileSync(source, "name,profession\nDana,cpa\n".repeat(10))
    const corrupt = await Effect.runPromise(
      Effect.flip(SqliteStore.backup({ filename: source, destination: path.join(dir, "b1.db") }))
    )
    expect(corrupt._tag).toBe("CorruptStore")
    const missing = await Effect.runPromise(
      Effect.flip(
        SqliteStore.backup({ filename: path.join(dir, "none.db"), destination: path.join(dir, "b2.db") })
      )
    )
    expect(missing._tag).toBe("StoreUnavailable")
    expect(fs.readdirSync(dir)).toEqual(["notes.db"])
  })
})
