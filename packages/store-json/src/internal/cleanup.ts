/**
 * What crashed writers leave behind, cleared when a store opens a folder: the temp files of
 * writes that never reached their rename, and the temp files of locks being created. A temp
 * file is removed only under its book's lock (or when its writer's pid is gone), so a live
 * writer's file in flight is never touched.
 *
 * @internal
 */
import type { Path } from "@effect/platform"
import { Effect } from "effect"
import { isNotFound, unavailable } from "./errors.js"
import * as FileName from "./fileName.js"
import * as Lock from "./lock.js"
import type { Files } from "./nodeFiles.js"

/** Clears the folder `dir`; best effort: a folder this process may not write to is still readable. */
export const clearOrphans = (
  fs: Files,
  path: Path.Path,
  dir: string,
  lockOptions: Lock.Options
): Effect.Effect<void> =>
  Effect.ignore(
    Effect.gen(function* () {
      const names = yield* fs.readDirectory(dir).pipe(Effect.mapError(unavailable(`cannot list ${dir}`)))
      const files = new Set<string>()
      for (const name of names) {
        const temp = FileName.parseTempName(name)
        const lockTemp = FileName.parseLockTempName(name)
        if (lockTemp !== undefined) {
          // A lock's content, written just before it was linked into place: its writer died
          // if its pid is gone (the lock itself, if linked, is handled below).
          if (lockTemp.pid !== process.pid && !Lock.isAlive(lockTemp.pid)) {
            yield* fs.remove(path.join(dir, name)).pipe(Effect.ignore)
          }
          files.add(lockTemp.fileName)
        } else if (temp !== undefined) files.add(temp.fileName)
        else if (name.endsWith(".json.lock")) files.add(name.slice(0, -".lock".length))
        else if (name.endsWith(".json.lock.break")) files.add(name.slice(0, -".lock.break".length))
      }
      for (const name of files) {
        // Temp files are created only under the book's lock: if we can take the lock, every
        // temp file of that book belongs to a writer that died (or lost its lock) mid-write.
        // If a live writer holds the lock, its temp file may be in flight: leave it.
        const file = path.join(dir, name)
        yield* Effect.scoped(
          Effect.gen(function* () {
            yield* Lock.clearStaleGuard(fs, `${FileName.lockNameOf(file)}.break`, lockOptions)
            const locked = yield* Lock.acquire(fs, FileName.lockNameOf(file), {
              ...lockOptions,
              wait: false
            })
            if (!locked) return
            const now = yield* fs.readDirectory(dir).pipe(Effect.mapError(unavailable(`cannot list ${dir}`)))
            for (const entry of now) {
              if (FileName.parseTempName(entry)?.fileName === name) {
                yield* fs.remove(path.join(dir, entry)).pipe(
                  Effect.catchIf(isNotFound, () => Effect.void),
                  Effect.mapError(unavailable(`cannot remove the orphan temp file ${entry}`))
                )
              }
            }
          })
        ).pipe(Effect.ignore)
      }
    })
  )
