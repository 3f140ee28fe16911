import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { StoreError } from "@partnerbook/core"
import Sqlite from "better-sqlite3"
import { Effect } from "effect"
import { classify } from "./errors.js"
import * as open from "./open.js"

/** @internal */
export interface Summary {
  readonly destination: string
  readonly pages: number
  readonly bytes: number
}

const removeQuietly = (file: string) => {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true })
}

const fsyncPath = (target: string, flags: string) => {
  const fd = fs.openSync(target, flags)
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Copies the database at `source` (with whatever its `-wal` holds) to `destination` with
 * SQLite's online backup API: a consistent snapshot, taken through a read-only connection
 * while other connections keep writing. The copy is written to a temp file beside the
 * destination, switched to a self-contained rollback-journal file, checked, synced, and
 * linked into place: `destination` appears whole or not at all, and an existing file is
 * never overwritten.
 *
 * @internal
 */
export const backup = (
  source: string,
  destination: string,
  busyTimeoutMs: number
): Effect.Effect<Summary, StoreError.CorruptStore | StoreError.StoreUnavailable> =>
  Effect.scoped(
    Effect.gen(function* () {
      if (open.isInMemory(source)) {
        return yield* new StoreError.StoreUnavailable({
          reason: "an in-memory database has no file to back up"
        })
      }
      if (!fs.existsSync(source)) {
        return yield* new StoreError.StoreUnavailable({
          reason: `${source} does not exist: nothing to back up`
        })
      }
      if (fs.existsSync(destination)) {
        return yield* new StoreError.StoreUnavailable({
          reason: `${destination} already exists: a backup never overwrites a file; choose a new name`
        })
      }
      // On read-only media, read a private copy (see `open.readOnlyCopy`).
      const from = open.isReadOnly(source) ? yield* open.readOnlyCopy(source) : source
      yield* open.inspect(from, busyTimeoutMs)
      const temp = path.join(
        path.dirname(path.resolve(destination)),
        `.${path.basename(destination)}.${randomBytes(6).toString("hex")}.backup-tmp`
      )
      return yield* Effect.tryPromise({
        try: async (): Promise<Summary> => {
          try {
            const db = new Sqlite(from, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs })
            let pages: number
            try {
              // All pages in one step: one read transaction, so one consistent snapshot.
              const result = await db.backup(temp, { progress: () => 2 ** 30 })
              pages = result.totalPages
            } finally {
              db.close()
            }
            const copy = new Sqlite(temp, { fileMustExist: true })
            try {
              // One self-contained file: no -wal or -shm to keep beside it.
              copy.pragma("journal_mode = DELETE")
              const check = copy.pragma("quick_check", { simple: true })
              if (check !== "ok") throw new Error(`the copy failed SQLite's quick_check: ${String(check)}`)
            } finally {
              copy.close()
            }
            fsyncPath(temp, "r+")
            // `link` fails if the destination appeared meanwhile: never overwrite.
            fs.linkSync(temp, destination)
            fs.rmSync(temp, { force: true })
            try {
              fsyncPath(path.dirname(path.resolve(destination)), "r")
            } catch {
              // Some platforms cannot fsync a folder; the file itself is synced.
            }
            return { destination, pages, bytes: fs.statSync(destination).size }
          } catch (cause) {
            removeQuietly(temp)
            throw cause
          }
        },
        catch: (cause) =>
          (cause as { code?: unknown }).code === "EEXIST"
            ? new StoreError.StoreUnavailable({
                reason: `${destination} already exists: a backup never overwrites a file; choose a new name`
              })
            : classify(cause, `${source} -> ${destination}`, busyTimeoutMs)
      })
    })
  )
