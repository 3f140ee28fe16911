import { FileSystem } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { StoreError } from "@partnerbook/core"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import * as Lock from "../src/internal/lock.js"
import { JsonStore } from "../src/index.js"
import { book, nodeServices, partner, sha256, storeFile, tempDir, withStore } from "./helpers.js"

const deadPid = (): number => {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"])
  return Number(child.stdout.toString())
}

const lockFile = (owner: { pid: number; host?: string; token?: string; start?: string }) =>
  JSON.stringify({
    pid: owner.pid,
    host: owner.host ?? hostname(),
    token: owner.token ?? "t",
    since: "",
    ...(owner.start === undefined ? {} : { start: owner.start })
  })

// Process start times come from Linux's /proc; elsewhere a reused pid waits for the heartbeat.
const initStart = Lock.startOf(1)
const withProc = initStart === undefined ? it.skip : it

const acquire = (path: string, options: Partial<Lock.Options> & { wait?: boolean } = {}) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const started = Date.now()
        const locked = yield* Lock.acquire(fs, path, { timeout: 300, stale: 5_000, ...options })
        const content = readFileSync(path, "utf8")
        return { locked, content, ms: Date.now() - started }
      })
    ).pipe(Effect.either, Effect.provide(nodeServices))
  )

describe("the book lock", () => {
  it("is created with its owner, and removed on release", async () => {
    const path = join(tempDir(), "x.json.lock")
    const result = await acquire(path)
    expect(result._tag).toBe("Right")
    if (result._tag === "Right")
      expect(JSON.parse(result.right.content)).toMatchObject({ pid: process.pid, host: hostname() })
    expect(existsSync(path)).toBe(false)
    expect(readdirSync(join(path, ".."))).toEqual([])
  })

  it("is taken over at once from a dead process", async () => {
    const path = join(tempDir(), "x.json.lock")
    writeFileSync(path, lockFile({ pid: deadPid() }))
    const result = await acquire(path, { stale: 60_000 })
    expect(result._tag).toBe("Right")
    if (result._tag === "Right") expect(result.right.ms).toBeLessThan(1_000)
    expect(existsSync(path)).toBe(false)
  })

  it("is taken over at once from an earlier process that had our pid", async () => {
    const path = join(tempDir(), "x.json.lock")
    writeFileSync(path, lockFile({ pid: process.pid, token: "not-one-of-ours" }))
    expect((await acquire(path, { stale: 60_000 }))._tag).toBe("Right")
  })

  it("is waited for while its owner lives, then fails with StoreUnavailable, untouched", async () => {
    const path = join(tempDir(), "x.json.lock")
    const content = lockFile({ pid: 1 }) // init is always alive
    writeFileSync(path, content)
    const result = await acquire(path, { timeout: 200 })
    expect(result._tag).toBe("Left")
    if (result._tag === "Left") {
      expect(result.left).toBeInstanceOf(StoreError.StoreUnavailable)
      expect(result.left.reason).toMatch(/locked by process 1 on/)
    }
    expect(readFileSync(path, "utf8")).toBe(content)
    const once = await acquire(path, { wait: false })
    expect(once._tag === "Right" && once.right.locked).toBe(false)
  })

  it("from another host, or unreadable, is stale only when its heartbeat is old", async () => {
    for (const content of [lockFile({ pid: 1, host: "elsewhere" }), ""]) {
      const path = join(tempDir(), "x.json.lock")
      writeFileSync(path, content)
      expect((await acquire(path, { timeout: 100, stale: 5_000 }))._tag).toBe("Left")
      const old = new Date(Date.now() - 10_000)
      utimesSync(path, old, old)
      expect((await acquire(path, { timeout: 100, stale: 5_000 }))._tag).toBe("Right")
    }
  })

  it("a write to a book locked by a live process fails with StoreUnavailable and changes nothing", async () => {
    const dir = tempDir()
    await withStore(dir, (store) => store.partners.put(partner("p1")))
    const before = sha256(storeFile(dir))
    writeFileSync(`${storeFile(dir)}.lock`, lockFile({ pid: 1 }))
    const error = await withStore(dir, (store) => Effect.flip(store.partners.put(partner("p2"))), {
      lockTimeout: 200
    })
    expect(error).toBeInstanceOf(StoreError.StoreUnavailable)
    expect(sha256(storeFile(dir))).toBe(before)
    // Reads need no lock.
    expect((await withStore(dir, (store) => store.partners.list(book))).length).toBe(1)
  })

  it("stays fresh while a long transaction holds it (heartbeat), so no one takes it over", async () => {
    const dir = tempDir()
    const order = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const a = yield* JsonStore.make({ directory: dir, staleLockTimeout: 200, lockTimeout: 5_000 })
          const b = yield* JsonStore.make({ directory: dir, staleLockTimeout: 200, lockTimeout: 5_000 })
          const order: Array<string> = []
          const slow = a.transaction(
            Effect.gen(function* () {
              yield* a.partners.list(book) // takes the lock
              yield* Effect.sleep(1_000)
              yield* a.partners.put(partner("p1"))
              order.push("a")
            })
          )
          const fast = Effect.sleep(200).pipe(
            Effect.zipRight(b.partners.put(partner("p2"))),
            Effect.tap(() => order.push("b"))
          )
          yield* Effect.all([slow, fast], { concurrency: "unbounded" })
          expect((yield* a.partners.list(book)).map((p) => p.id).sort()).toEqual(["p1", "p2"])
          return order
        })
      ).pipe(Effect.provide(nodeServices))
    )
    expect(order).toEqual(["a", "b"])
  })

  withProc("whose pid now belongs to another live process (pid reuse) is taken over at once", async () => {
    // The owner died and its pid went to init: same pid, alive, but another start time.
    const path = join(tempDir(), "x.json.lock")
    writeFileSync(path, lockFile({ pid: 1, start: `${initStart}0` }))
    const result = await acquire(path, { timeout: 300, stale: 60_000 })
    expect(result._tag).toBe("Right")
    if (result._tag === "Right") {
      expect(JSON.parse(result.right.content)).toMatchObject({
        pid: process.pid,
        start: Lock.startOf(process.pid)
      })
    }
    // The real owner (same pid, same start) is still waited for.
    writeFileSync(path, lockFile({ pid: 1, start: initStart! }))
    expect((await acquire(path, { timeout: 200, stale: 60_000 }))._tag).toBe("Left")
  })

  withProc("a writer is not held up by a stale lock whose pid was reused", async () => {
    const dir = tempDir()
    await withStore(dir, (store) => store.partners.put(partner("p1")))
    writeFileSync(`${storeFile(dir)}.lock`, lockFile({ pid: 1, start: `${initStart}0` }))
    await withStore(dir, (store) => store.partners.put(partner("p2")), {
      lockTimeout: 500,
      staleLockTimeout: 60_000
    })
    expect((await withStore(dir, (store) => store.partners.list(book))).length).toBe(2)
  })

  it("a lock that is a symbolic link is nobody's: removed (only the link) and taken at once", async () => {
    const outside = tempDir()
    const target = join(outside, "secret.txt")
    writeFileSync(target, "root:x:0:0:root:/root:/bin/bash\n") // fresh: a recent mtime
    const before = sha256(target)
    for (const to of [target, join(outside, "missing")]) {
      const path = join(tempDir(), "x.json.lock")
      symlinkSync(to, path)
      const result = await acquire(path, { timeout: 300, stale: 60_000 })
      expect(result._tag).toBe("Right")
      expect(existsSync(path)).toBe(false)
      expect(readdirSync(join(path, ".."))).toEqual([])
    }
    expect(sha256(target)).toBe(before)
    expect(readdirSync(outside)).toEqual(["secret.txt"])
  })
})
