/**
 * The lock's heartbeat can fail (a full disk, a network share gone): the writer must then
 * never commit once another process could have judged its lock stale and taken it over.
 * Failures are injected through the `FileSystem` the store runs on: the writes to lock files
 * fail while `control.failures > 0`. No timing is asserted: the tests wait on conditions.
 */
import { FileSystem } from "@effect/platform"
import { SystemError } from "@effect/platform/Error"
import { describe, expect, it } from "@effect/vitest"
import { StoreError } from "@partnerbook/core"
import { Effect, Layer } from "effect"
import { existsSync, rmSync, statSync } from "node:fs"
import { basename, join } from "node:path"
import * as FileName from "../src/internal/fileName.js"
import * as Lock from "../src/internal/lock.js"
import { JsonStore } from "../src/index.js"
import { book, nodeServices, partner, sha256, storeFile, tempDir, tempFiles, withStore } from "./helpers.js"

/** Node's file system, except that writes to lock files fail while `control.failures > 0`. */
const flaky = () => {
  const control = { failures: 0, failed: 0, writtenAfterFailure: 0 }
  const failing = (file: FileSystem.File, path: string): FileSystem.File =>
    new Proxy(file, {
      get: (target, key) =>
        key !== "writeAll"
          ? Reflect.get(target, key)
          : (buffer: Uint8Array) =>
              Effect.suspend(() => {
                if (control.failures > 0) {
                  control.failures--
                  control.failed++
                  return Effect.fail(
                    new SystemError({
                      reason: "Unknown",
                      module: "FileSystem",
                      method: "writeAll",
                      pathOrDescriptor: path,
                      description: "injected: the disk went away"
                    })
                  )
                }
                return Effect.tap(target.writeAll(buffer), () => {
                  if (control.failed > 0) control.writtenAfterFailure++
                })
              })
    })
  const layer = Layer.effect(
    FileSystem.FileSystem,
    Effect.map(
      FileSystem.FileSystem,
      (fs): FileSystem.FileSystem => ({
        ...fs,
        open: (path, options) =>
          Effect.map(fs.open(path, options), (file) =>
            FileName.parseLockTempName(basename(path)) === undefined ? file : failing(file, path)
          )
      })
    )
  ).pipe(Layer.provide(nodeServices))
  return { control, layer: Layer.merge(nodeServices, layer) }
}

/** Waits (polling) until `condition` holds. */
const until = (condition: () => boolean) =>
  Effect.suspend(() => (condition() ? Effect.void : Effect.sleep(10))).pipe(
    Effect.repeat({ until: condition })
  )

describe("a lock whose heartbeat fails", () => {
  it("is refused at commit once another process took it over: StoreUnavailable, the book's file untouched", async () => {
    const dir = tempDir()
    await withStore(dir, (store) => store.partners.put(partner("p0")))
    const { control, layer } = flaky()
    const options = { directory: dir, staleLockTimeout: 300, lockTimeout: 30_000 }
    const { error, hashAfterTakeover } = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const a = yield* JsonStore.make(options).pipe(Effect.provide(layer))
          const b = yield* JsonStore.make(options)
          let hashAfterTakeover = ""
          const error = yield* a
            .transaction(
              Effect.gen(function* () {
                yield* a.partners.list(book) // takes the lock
                control.failures = Number.POSITIVE_INFINITY
                // b waits for the lock and takes it over once its heartbeat is `stale` old.
                yield* b.partners.put(partner("p2"))
                hashAfterTakeover = sha256(storeFile(dir))
                yield* a.partners.put(partner("p1"))
              })
            )
            .pipe(Effect.flip)
          return { error, hashAfterTakeover }
        })
      ).pipe(Effect.provide(nodeServices))
    )
    expect(control.failed).toBeGreaterThan(0)
    expect(error).toBeInstanceOf(StoreError.StoreUnavailable)
    expect((error as StoreError.StoreUnavailable).reason).toMatch(
      /^the lock on .*default\.json\.lock was lost: the heartbeat write failed: injected: the disk went away, .*nothing was written$/
    )
    expect(sha256(storeFile(dir))).toBe(hashAfterTakeover)
    expect(tempFiles(dir)).toEqual([])
    const ids = (await withStore(dir, (store) => store.partners.list(book))).map((p) => p.id)
    expect(ids.sort()).toEqual(["p0", "p2"])
  })

  it("fails nothing when a later heartbeat succeeds within the stale window", async () => {
    const dir = tempDir()
    const { control, layer } = flaky()
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const a = yield* JsonStore.make({ directory: dir, staleLockTimeout: 2_000 }).pipe(
            Effect.provide(layer)
          )
          yield* a.transaction(
            Effect.gen(function* () {
              yield* a.partners.list(book) // takes the lock
              control.failures = 1
              yield* until(() => control.writtenAfterFailure > 0)
              yield* a.partners.put(partner("p1"))
            })
          )
        })
      ).pipe(Effect.provide(nodeServices))
    )
    expect(control.failed).toBe(1)
    expect((await withStore(dir, (store) => store.partners.list(book))).map((p) => p.id)).toEqual(["p1"])
  })
})

describe("Lock.hold's verify", () => {
  const hold = (path: string, layer: Layer.Layer<FileSystem.FileSystem>, stale: number) =>
    Effect.flatMap(FileSystem.FileSystem, (fs) => Lock.hold(fs, path, { timeout: 1_000, stale })).pipe(
      Effect.provide(layer)
    )

  it("fails once the lock file is older than `stale` (heartbeats failing)", async () => {
    const path = join(tempDir(), "x.json.lock")
    const { control, layer } = flaky()
    const stale = 200
    const error = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const lock = yield* hold(path, layer, stale)
          yield* lock.verify
          control.failures = Number.POSITIVE_INFINITY
          // Another process may take it over from now on.
          yield* until(() => Date.now() - statSync(path).mtimeMs > stale)
          return yield* Effect.flip(lock.verify)
        })
      )
    )
    expect(error).toBeInstanceOf(StoreError.StoreUnavailable)
    expect(error.reason).toMatch(/was lost: the heartbeat write failed/)
    expect(existsSync(path)).toBe(false) // released all the same
  })

  it("fails when the lock file is no longer ours", async () => {
    const path = join(tempDir(), "x.json.lock")
    const error = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const lock = yield* hold(path, nodeServices, 60_000)
          rmSync(path)
          return yield* Effect.flip(lock.verify)
        })
      )
    )
    expect(error).toBeInstanceOf(StoreError.StoreUnavailable)
    expect(error.reason).toMatch(/was lost: the lock file is no longer ours/)
  })
})
