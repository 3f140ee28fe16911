import * as path from "node:path"
import { Book, Partner, Store } from "@partnerbook/core"
import Sqlite from "better-sqlite3"
import { Effect, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteStore } from "../src/index.js"
import { spawn } from "./fixtures/processes.js"
import { tempDir } from "./fixtures/temp.js"

const book = Book.BookId.make("shared")

const withStore = async <A>(filename: string, f: (store: Store.Store) => Effect.Effect<A, unknown>) => {
  const runtime = ManagedRuntime.make(SqliteStore.layer({ filename }))
  try {
    return await runtime.runPromise(Effect.flatMap(Store.Store, f))
  } finally {
    await runtime.dispose()
  }
}

const storedIds = (filename: string) =>
  withStore(filename, (store) =>
    Effect.map(store.referrals.list(book), (rs) => new Set(rs.map((r) => r.id as string)))
  )

const integrity = (filename: string): string => {
  const db = new Sqlite(filename, { readonly: true })
  try {
    return (db.prepare("PRAGMA integrity_check").all() as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .join("; ")
  } finally {
    db.close()
  }
}

describe("SqliteStore across processes", () => {
  it("two processes writing at once: every acknowledged write is there, no SQLITE_BUSY escapes", async () => {
    const filename = path.join(tempDir(), "shared.db")
    const n = 150
    // Both open the new file at the same moment too: creation and migrations race.
    const a = spawn("write", filename, "a", n)
    const b = spawn("write", filename, "b", n)
    const [ea, eb] = await Promise.all([a.exit, b.exit])
    expect(a.stderr()).not.toMatch(/SQLITE_BUSY|locked/)
    expect(b.stderr()).not.toMatch(/SQLITE_BUSY|locked/)
    expect(ea).toEqual({ code: 0, signal: null })
    expect(eb).toEqual({ code: 0, signal: null })
    expect(a.acks).toHaveLength(n)
    expect(b.acks).toHaveLength(n)

    const ids = await storedIds(filename)
    for (const id of [...a.acks, ...b.acks]) expect(ids.has(id)).toBe(true)
    expect(ids.size).toBe(2 * n)
    // Both processes incremented one shared record (read, then write, in a transaction):
    // with BEGIN IMMEDIATE no increment is lost and none fails.
    const counter = await withStore(filename, (store) =>
      store.partners.get(book, Partner.PartnerId.make("counter"))
    )
    expect(counter.notes).toHaveLength(2 * n)
    expect(counter.revision).toBe(2 * n)
    expect(integrity(filename)).toBe("ok")
  }, 120_000)

  it("a process killed with SIGKILL mid-write loop: the file is intact and holds every acknowledged write", async () => {
    const filename = path.join(tempDir(), "killed.db")
    const acked: Array<string> = []
    const batches: Array<ReadonlyArray<string>> = []
    for (let round = 0; round < 5; round++) {
      const w = spawn("crash", filename, `k${round}`, 1_000_000)
      await w.acked(10 + round * 17)
      // Land the kill at an arbitrary point of the loop, often inside a transaction.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 25)))
      w.process.kill("SIGKILL")
      const exit = await w.exit
      expect(exit.signal).toBe("SIGKILL")
      expect(w.stderr()).toBe("")
      acked.push(...w.acks)
      batches.push(...w.batches.filter((b) => b.length > 1))

      expect(integrity(filename)).toBe("ok")
      const ids = await storedIds(filename)
      for (const id of acked) expect(ids.has(id)).toBe(true)
      // A batch is one transaction: all of it or none of it, even unacknowledged.
      const prefixes = new Set(
        [...ids].filter((id) => id.split("-").length === 3).map((id) => id.replace(/-\d+$/, ""))
      )
      for (const p of prefixes) {
        expect([...ids].filter((id) => id.startsWith(`${p}-`) && id.split("-").length === 3)).toHaveLength(20)
      }
    }
    expect(batches.length).toBeGreaterThan(0)
  }, 180_000)

  it("a write waits for another process's lock, and fails with StoreUnavailable past the busy timeout", async () => {
    const filename = path.join(tempDir(), "locked.db")
    await storedIds(filename) // create the file and its tables
    const make = (busyTimeoutMs: number) =>
      ManagedRuntime.make(SqliteStore.layer({ filename, busyTimeoutMs }))
    const referral = (id: string) =>
      Effect.flatMap(Store.Store, (store) =>
        store.interactions.put(
          new Store.schemas.interaction({
            id: id as never,
            book,
            partnerId: Partner.PartnerId.make("p"),
            kind: "check-in",
            date: new Date(Date.UTC(2026, 0, 1)),
            revision: 0
          })
        )
      )

    // Held for 1.5 s: a store with a 200 ms timeout gives up, one with 10 s waits.
    const impatient = make(200)
    const patient = make(10_000)
    await impatient.runPromise(Effect.void)
    await patient.runPromise(Effect.void)
    const holder = spawn("hold", filename, "h", 1500)
    await holder.line("locked")
    const error = await impatient.runPromise(Effect.flip(referral("i1")))
    await impatient.dispose()
    expect(error._tag).toBe("StoreUnavailable")
    expect(error.message).toMatch(/SQLITE_BUSY/)
    expect(error.message).toMatch(/200 ms/)

    const started = Date.now()
    await patient.runPromise(referral("i2"))
    await patient.dispose()
    expect(Date.now() - started).toBeGreaterThan(100)
    expect(await holder.exit).toEqual({ code: 0, signal: null })
  }, 60_000)
})
