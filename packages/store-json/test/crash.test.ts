import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import * as Format from "../src/internal/format.js"
import { bundledCommand, type Child, start } from "./children.js"
import { book, referral, storeFile, tempDir, tempFiles, withStore } from "./helpers.js"

const KILLS = 100
const SEED = 300 // referrals already in the book: every write replaces a ~90 KB file

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The referral ids in the file, read straight from disk (no lock, no store). */
const idsOnDisk = (dir: string): Set<string> => {
  const parsed = Format.parse(readFileSync(storeFile(dir)), book)
  if (Either.isLeft(parsed)) throw new Error(`the file does not parse: ${JSON.stringify(parsed.left)}`)
  return new Set(parsed.right.shelves.referral.ids)
}

describe("SIGKILL", () => {
  it(`a writer killed at random moments ${KILLS} times loses no acknowledged write and leaves nothing behind`, async () => {
    const dir = tempDir()
    await withStore(dir, (store) =>
      store.transaction(
        Effect.forEach(
          Array.from({ length: SEED }, (_, i) => i),
          (i) => store.referrals.put(referral(`seed-${String(i).padStart(4, "0")}`, "p1")),
          { discard: true }
        )
      )
    )
    const { command, note } = await bundledCommand()
    if (note !== undefined) console.warn(note)
    const spawnOne = () => start(command, ["kill", dir])
    const pool: Array<Child> = [spawnOne(), spawnOne()]
    const acked = new Set<string>()
    const left = { temp: 0, lock: 0, ackedBeforeKill: 0 }
    try {
      for (let round = 0; round < KILLS; round++) {
        const child = pool.shift()!
        pool.push(spawnOne())
        await child.waitFor((l) => l === "ready")
        child.send(`go k${round}`)
        await child.waitFor((l) => l === "open")
        // The open removed whatever the previous kill left: temp files and the stale lock.
        expect(tempFiles(dir)).toEqual([])
        expect(readdirSync(dir).filter((n) => n.includes(".lock"))).toEqual([])
        child.send("write")
        // A quarter of the kills land in the first write (which also loads the book under the
        // lock); the others at a random moment of the write loop.
        if (round % 4 !== 0) await child.waitFor((l) => l.startsWith("ack "))
        await sleep(Math.random() * 80)
        child.process.kill("SIGKILL")
        const { signal } = await child.closed
        expect(signal).toBe("SIGKILL")
        const acks = child.lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4))
        for (const id of acks) acked.add(id)
        if (acks.length > 0) left.ackedBeforeKill++
        if (tempFiles(dir).length > 0) left.temp++
        if (readdirSync(dir).some((n) => n.endsWith(".lock"))) left.lock++
        const onDisk = idsOnDisk(dir)
        for (const id of acked) expect(onDisk.has(id), `acknowledged ${id} is on disk`).toBe(true)
      }
    } finally {
      for (const child of pool) child.process.kill("SIGKILL")
      await Promise.all(pool.map((c) => c.closed))
    }
    // The next open (here, in this process) clears what the last kill left.
    const listed = await withStore(dir, (store) => store.referrals.list(book))
    expect(tempFiles(dir)).toEqual([])
    expect(readdirSync(dir)).toEqual(["default.json"])
    const ids = new Set<string>(listed.map((r) => r.id))
    for (const id of acked) expect(ids.has(id)).toBe(true)
    console.info(
      `${KILLS} kills: ${acked.size} acknowledged writes kept; a temp file was left by ${left.temp} kills, a lock by ${left.lock}`
    )
    // The kills did land inside writes (or this test would prove little).
    expect(left.lock).toBeGreaterThan(KILLS / 4)
    expect(left.temp).toBeGreaterThan(0)
  }, 400_000)
})
