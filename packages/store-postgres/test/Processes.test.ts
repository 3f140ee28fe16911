import { Book, Partner, Profession, Store } from "@partnerbook/core"
import { Effect, ManagedRuntime, Schedule } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { PostgresStore } from "../src/index.js"
import { spawn } from "./fixtures/processes.js"
import { adminSql, dropSchema, requireUrl, skip, skipReason, uniqueSchema } from "./fixtures/server.js"

const book = Book.BookId.make("shared")

const schemas: Array<string> = []
afterAll(async () => {
  if (!skip) for (const s of schemas.splice(0)) await dropSchema(s)
})

const withStore = async <A>(schema: string, f: (store: Store.Store) => Effect.Effect<A, unknown>) => {
  const runtime = ManagedRuntime.make(PostgresStore.layer({ url: requireUrl(), schema }))
  try {
    return await runtime.runPromise(Effect.flatMap(Store.Store, f))
  } finally {
    await runtime.dispose()
  }
}

const storedIds = (schema: string) =>
  withStore(schema, (store) =>
    Effect.map(store.referrals.list(book), (rs) => new Set(rs.map((r) => r.id as string)))
  )

describe.skipIf(skip)(`PostgresStore across processes${skip ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("two processes writing the same book at once: every acknowledged write is there, no increment lost", async () => {
    const schema = uniqueSchema("procs")
    schemas.push(schema)
    await withStore(schema, (store) =>
      store.partners.put(
        Partner.Partner.make({
          id: Partner.PartnerId.make("counter"),
          book,
          name: "Counter",
          profession: Profession.ProfessionId.make("cpa"),
          kind: "complementary",
          stage: "identified",
          tags: [],
          notes: "",
          createdAt: new Date(Date.UTC(2026, 0, 1)),
          revision: 0
        })
      )
    )
    const n = 60
    const a = spawn("write", requireUrl(), schema, "a", n)
    const b = spawn("write", requireUrl(), schema, "b", n)
    const [ea, eb] = await Promise.all([a.exit, b.exit])
    expect(a.stderr()).toBe("")
    expect(b.stderr()).toBe("")
    expect(ea).toEqual({ code: 0, signal: null })
    expect(eb).toEqual({ code: 0, signal: null })
    expect(a.acks).toHaveLength(n)
    expect(b.acks).toHaveLength(n)
    const ids = await storedIds(schema)
    for (const id of [...a.acks, ...b.acks]) expect(ids.has(id)).toBe(true)
    expect(ids.size).toBe(2 * n)
    // Both incremented one shared record (read, then write, in a transaction): the row
    // locks make the second wait, so no increment is lost and none fails.
    const counter = await withStore(schema, (store) =>
      store.partners.get(book, Partner.PartnerId.make("counter"))
    )
    expect(counter.notes).toHaveLength(2 * n)
    expect(counter.revision).toBe(2 * n + 1)
  }, 120_000)

  it("a client process SIGKILLed mid-transaction leaves nothing half-written", async () => {
    const schema = uniqueSchema("killed")
    schemas.push(schema)
    const acked: Array<string> = []
    let batches = 0
    for (let round = 0; round < 3; round++) {
      const w = spawn("crash", requireUrl(), schema, `k${round}`, 1_000_000)
      await w.acked(8 + round * 9)
      // Land the kill at an arbitrary point of the loop, often inside a transaction.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 25)))
      w.process.kill("SIGKILL")
      const exit = await w.exit
      expect(exit.signal).toBe("SIGKILL")
      expect(w.stderr()).toBe("")
      acked.push(...w.acks)
      batches += w.batches.filter((x) => x.length > 1).length

      // The server noticed the dead connection and rolled its transaction back.
      await adminSql((sql) =>
        Effect.repeat(
          sql.unsafe<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = '@partnerbook/store-postgres' AND state LIKE 'idle in transaction%'"
          ),
          { until: (rows) => rows[0]?.n === 0, schedule: Schedule.spaced("50 millis") }
        )
      )
      const ids = await storedIds(schema)
      for (const id of acked) expect(ids.has(id)).toBe(true)
      // A batch is one transaction: all of it or none of it, even unacknowledged.
      const prefixes = new Set(
        [...ids].filter((id) => id.split("-").length === 3).map((id) => id.replace(/-\d+$/, ""))
      )
      for (const p of prefixes) {
        expect([...ids].filter((id) => id.startsWith(`${p}-`) && id.split("-").length === 3)).toHaveLength(20)
      }
    }
    expect(batches).toBeGreaterThan(0)
  }, 180_000)
})
