import { describe, expect, it } from "@effect/vitest"
import { Partner } from "@partnerbook/core"
import { Effect } from "effect"
import { readdirSync } from "node:fs"
import { start, tsxCommand } from "./children.js"
import { book, tempDir, withStore } from "./helpers.js"

const PROCESSES = 4
const WRITES = 100

describe("several processes", () => {
  it(`${PROCESSES} processes doing read-modify-write at once, ${WRITES} each: every write is kept`, async () => {
    const dir = tempDir()
    // The workers run the sources through tsx, as a user's script would.
    const children = Array.from({ length: PROCESSES }, (_, i) =>
      start(tsxCommand, ["rmw", dir, `w${i}`, String(WRITES)])
    )
    try {
      await Promise.all(children.map((c) => c.waitFor((l) => l === "open", 120_000)))
      for (const child of children) child.send("go")
      await Promise.all(children.map((c) => c.waitFor((l) => l === "done", 240_000)))
      const exits = await Promise.all(children.map((c) => c.closed))
      expect(exits.map((e) => e.code)).toEqual(children.map(() => 0))
    } finally {
      for (const child of children) child.process.kill("SIGKILL")
    }
    const [referrals, counter] = await withStore(dir, (store) =>
      Effect.all([store.referrals.list(book), store.partners.get(book, Partner.PartnerId.make("counter"))])
    )
    expect(referrals.length).toBe(PROCESSES * WRITES)
    const expected = Array.from({ length: PROCESSES }, (_, p) =>
      Array.from({ length: WRITES }, (_, i) => `w${p}-${i}`)
    ).flat()
    expect(referrals.map((r) => r.id).sort()).toEqual(expected.sort())
    // Every transaction read the counter and wrote it back + 1: no update was lost.
    expect(counter.notes).toBe(String(PROCESSES * WRITES))
    expect(counter.revision).toBe(PROCESSES * WRITES)
    expect(readdirSync(dir)).toEqual(["default.json"])
  }, 300_000)
})
