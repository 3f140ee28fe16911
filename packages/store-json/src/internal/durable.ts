/**
 * The durable write path: a book's new file is written to a unique temp file in the folder
 * and fsynced, renamed over the book's file, and the folder is fsynced, so that a reader
 * never sees a half-written file and a writer killed at any moment leaves the previous
 * version intact (its temp file is cleared by `cleanup.ts`).
 *
 * @internal
 */
import type { FileSystem, Path } from "@effect/platform"
import type { StoreError } from "@partnerbook/core"
import { Effect, Either, Exit, Scope } from "effect"
import { randomBytes } from "node:crypto"
import { errno, isNotFound, unavailable } from "./errors.js"
import * as FileName from "./fileName.js"
import type { Files } from "./nodeFiles.js"

/** A new version of a book file, written and fsynced under a temp name, not yet visible. */
export interface Prepared {
  readonly temp: string
  /** Holds the temp file open: once renamed, it becomes the cache's handle of the book. */
  readonly scope: Scope.CloseableScope
  readonly info: FileSystem.File.Info
}

/** One book's change in a commit: a new file, or (`bytes` undefined) no file at all. */
export interface Change {
  readonly file: string
  /** Whether the book's file existed when the transaction read it. */
  readonly existed: boolean
  /** The new file's bytes, computed when it is written; `undefined` removes the file. */
  readonly bytes: (() => Uint8Array) | undefined
}

export interface Writer {
  /**
   * Makes the changes durable. First every new file is written and fsynced under a temp
   * name: if any of that fails (a full disk), the temp files are removed and no book
   * changed. Then each temp file is renamed over its book (an emptied book's file is
   * removed), and the folder is fsynced once. Each book's file is replaced atomically; a
   * commit over several books is not atomic across them if the process dies between two
   * renames. `guard` runs after the temp files are written and before the first rename: if
   * it fails, the temp files are removed and no book changed. `installed` is called for
   * each change that took effect (with its new file, `undefined` for a removal), in order,
   * even when a later one failed.
   */
  readonly commit: <C extends Change>(
    changes: ReadonlyArray<C>,
    guard: Effect.Effect<void, StoreError.StoreUnavailable>,
    installed: (change: C, file: Prepared | undefined) => Effect.Effect<unknown>
  ) => Effect.Effect<void, StoreError.StoreUnavailable>
}

/** The write path of a folder; the folder stays open (for its fsync) until the scope closes. */
export const make = (
  fs: Files,
  path: Path.Path,
  dir: string
): Effect.Effect<Writer, StoreError.StoreUnavailable, Scope.Scope> =>
  Effect.gen(function* () {
    // The folder stays open while the store is, so that each write's fsync of the folder
    // (which makes the rename durable) is one call. A directory cannot be opened for fsync
    // on Windows (NTFS journals the rename), and some file systems refuse to fsync one.
    const directory =
      process.platform === "win32"
        ? undefined
        : yield* fs.open(dir, { flag: "r" }).pipe(Effect.mapError(unavailable(`cannot open ${dir}`)))
    const syncDirectory: Effect.Effect<void, StoreError.StoreUnavailable> =
      directory === undefined
        ? Effect.void
        : directory.sync.pipe(
            Effect.catchIf(
              (e) => ["EINVAL", "ENOTSUP", "EOPNOTSUPP", "EISDIR"].includes(errno(e) ?? ""),
              () => Effect.void
            ),
            Effect.mapError(unavailable(`cannot sync ${dir}`))
          )

    /**
     * Writes `bytes` to a unique temp file in the folder (the platform's `writeAll` loops on
     * short writes) and fsyncs it. On failure the temp file is removed. The handle stays
     * open in the returned scope: it becomes the cache's handle once the file is renamed.
     */
    const prepare = (file: string, bytes: Uint8Array): Effect.Effect<Prepared, StoreError.StoreUnavailable> =>
      Effect.gen(function* () {
        const temp = path.join(
          dir,
          FileName.tempNameOf(path.basename(file), process.pid, randomBytes(8).toString("hex"))
        )
        const scope = yield* Scope.make()
        return yield* Effect.gen(function* () {
          const handle = yield* fs.open(temp, { flag: "wx" }).pipe(Scope.extend(scope))
          yield* handle.writeAll(bytes)
          yield* handle.sync
          return { temp, scope, info: yield* handle.stat }
        }).pipe(
          Effect.mapError(unavailable(`cannot write ${file}`)),
          Effect.onError(() => discard({ temp, scope }))
        )
      })

    const discard = (prepared: { readonly temp: string; readonly scope: Scope.CloseableScope }) =>
      Effect.zipRight(Scope.close(prepared.scope, Exit.void), fs.remove(prepared.temp).pipe(Effect.ignore))

    const commit = <C extends Change>(
      changes: ReadonlyArray<C>,
      guard: Effect.Effect<void, StoreError.StoreUnavailable>,
      installed: (change: C, file: Prepared | undefined) => Effect.Effect<unknown>
    ): Effect.Effect<void, StoreError.StoreUnavailable> =>
      Effect.gen(function* () {
        const steps: Array<{ readonly change: C; readonly prepared: Prepared | undefined }> = []
        const written = yield* Effect.forEach(changes, (change) => {
          // An empty book has no file: a missing file is an empty book.
          if (change.bytes === undefined)
            return Effect.sync(() => void steps.push({ change, prepared: undefined }))
          return Effect.map(prepare(change.file, change.bytes()), (prepared) => {
            steps.push({ change, prepared })
          })
        }).pipe(Effect.zipLeft(guard), Effect.either)
        const pending = () =>
          Effect.forEach(
            steps,
            (step) => (step.prepared !== undefined ? discard(step.prepared) : Effect.void),
            {
              discard: true
            }
          )
        if (Either.isLeft(written)) {
          yield* pending()
          return yield* Effect.fail(written.left)
        }
        if (steps.length === 0) return
        let done = 0
        const renamed = yield* Effect.forEach(
          steps,
          ({ change, prepared }) =>
            (prepared !== undefined
              ? fs
                  .rename(prepared.temp, change.file)
                  .pipe(Effect.mapError(unavailable(`cannot write ${change.file}`)))
              : change.existed
                ? fs.remove(change.file).pipe(
                    Effect.catchIf(isNotFound, () => Effect.void),
                    Effect.mapError(unavailable(`cannot remove ${change.file}`))
                  )
                : Effect.void
            ).pipe(Effect.tap(() => void done++)),
          { discard: true }
        ).pipe(Effect.either)
        // What was renamed is the book now (and its handle the cache's); the rest is discarded.
        yield* Effect.forEach(
          steps,
          ({ change, prepared }, i) =>
            i >= done
              ? prepared !== undefined
                ? discard(prepared)
                : Effect.void
              : installed(change, prepared),
          { discard: true }
        )
        if (Either.isLeft(renamed)) return yield* Effect.fail(renamed.left)
        yield* syncDirectory
      })

    return { commit }
  })
