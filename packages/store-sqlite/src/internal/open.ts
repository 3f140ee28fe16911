import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { StoreError } from "@partnerbook/core"
import Sqlite from "better-sqlite3"
import { Effect, type Scope } from "effect"
import { classify, codeOf } from "./errors.js"

/** @internal */
export const minimumSqliteVersion = "3.51.3"

const parts = (version: string): ReadonlyArray<number> =>
  version.split(".").map((x) => Number.parseInt(x, 10))

/**
 * Compares two dotted versions numerically (`3.100.0` > `3.51.3`); missing parts count as 0.
 *
 * @internal
 */
export const compareVersions = (a: string, b: string): number => {
  const x = parts(a)
  const y = parts(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (Number.isNaN(d)) return Number.NaN
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/**
 * Fails with {@link StoreError.StoreUnavailable} when the SQLite library is older than
 * {@link minimumSqliteVersion} (older versions have a WAL-reset bug that can corrupt a
 * database written by several connections at once).
 *
 * @internal
 */
export const checkVersion = (
  version: string,
  minimum: string = minimumSqliteVersion
): Effect.Effect<void, StoreError.StoreUnavailable> => {
  const order = compareVersions(version, minimum)
  return order >= 0
    ? Effect.void
    : Effect.fail(
        new StoreError.StoreUnavailable({
          reason: `SQLite ${version} is older than ${minimum}, the oldest version @partnerbook/store-sqlite runs on (older versions have a WAL-reset bug that can corrupt the database); upgrade better-sqlite3 to 12.8 or later`
        })
      )
}

/**
 * Creates the folder of a database file when it is missing (`data/crm.db` with no `data/`),
 * as the JSON store creates its folder. In-memory databases and `file:` URIs are left alone.
 *
 * @internal
 */
export const ensureFolder = (filename: string): Effect.Effect<void, StoreError.StoreUnavailable> =>
  Effect.suspend(() => {
    if (isInMemory(filename) || filename.startsWith("file:")) return Effect.void
    const folder = path.dirname(path.resolve(filename))
    try {
      fs.mkdirSync(folder, { recursive: true })
      return Effect.void
    } catch (cause) {
      return Effect.fail(
        new StoreError.StoreUnavailable({
          reason: `cannot create the folder ${folder} for ${filename}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause
        })
      )
    }
  })

const MAGIC = "SQLite format 3\u0000"

/** @internal */
export const isInMemory = (filename: string): boolean =>
  filename === "" || filename === ":memory:" || filename.startsWith("file::memory:")

/**
 * Decides from the 100-byte header whether a file is a SQLite database, without writing:
 * `undefined` when it is (or when the file does not exist yet, or is empty, which SQLite
 * itself treats as a new, empty database), the reason otherwise.
 *
 * @internal
 */
export const headerProblem = (header: Uint8Array, size: number): string | undefined => {
  if (size === 0) return undefined
  if (size < 100) return `not a SQLite database: the file is ${size} bytes long, shorter than a SQLite header`
  const magic = Buffer.from(header.subarray(0, 16)).toString("latin1")
  if (magic !== MAGIC) return "not a SQLite database: the file does not start with the SQLite header"
  const raw = (header[16]! << 8) | header[17]!
  const pageSize = raw === 1 ? 65536 : raw
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return `not a SQLite database: the header names an invalid page size (${raw})`
  }
  return undefined
}

/**
 * Checks, before anything opens the file for writing, that `filename` is a SQLite database
 * (or absent, or empty): reads the header, then opens the file read-only and reads its
 * schema. A file that is not a database, or whose first pages are damaged, fails with
 * {@link StoreError.CorruptStore} and is left byte-identical.
 *
 * @internal
 */
export const inspect = (
  filename: string,
  busyTimeoutMs: number
): Effect.Effect<void, StoreError.CorruptStore | StoreError.StoreUnavailable> =>
  Effect.suspend(() => {
    if (isInMemory(filename) || filename.startsWith("file:")) return Effect.void
    let fd: number
    try {
      fd = fs.openSync(filename, "r")
    } catch (cause) {
      if (codeOf(cause) === "ENOENT") return Effect.void
      return Effect.fail(
        new StoreError.StoreUnavailable({
          reason: `cannot read ${filename}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause
        })
      )
    }
    let size: number
    const header = new Uint8Array(100)
    try {
      size = fs.fstatSync(fd).size
      fs.readSync(fd, header, 0, 100, 0)
    } catch (cause) {
      return Effect.fail(
        new StoreError.StoreUnavailable({
          reason: `cannot read ${filename}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause
        })
      )
    } finally {
      fs.closeSync(fd)
    }
    const problem = headerProblem(header, size)
    if (problem !== undefined)
      return Effect.fail(new StoreError.CorruptStore({ location: filename, reason: problem }))
    if (size === 0) return Effect.void
    return Effect.try({
      try: () => {
        const db = new Sqlite(filename, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs })
        try {
          db.prepare("SELECT type, name, sql FROM sqlite_schema").all()
        } finally {
          db.close()
        }
      },
      catch: (cause) => classify(cause, filename, busyTimeoutMs)
    })
  })

const cannotWrite = (target: string): boolean => {
  try {
    fs.accessSync(target, fs.constants.W_OK)
    return false
  } catch (cause) {
    const code = codeOf(cause)
    return code === "EROFS" || code === "EACCES" || code === "EPERM"
  }
}

/**
 * Whether `filename` is an existing, non-empty database that this process cannot write:
 * on read-only media, or without permission to write the file or its folder (where SQLite
 * keeps the `-wal` and `-shm` files).
 *
 * @internal
 */
export const isReadOnly = (filename: string): boolean => {
  if (isInMemory(filename) || filename.startsWith("file:")) return false
  let size: number
  try {
    size = fs.statSync(filename).size
  } catch {
    return false
  }
  return size > 0 && (cannotWrite(filename) || cannotWrite(path.dirname(path.resolve(filename))))
}

/**
 * A private copy of a read-only database (with its `-wal`, if it has one), in a new temp
 * folder removed with the scope. A WAL-mode database cannot be opened where SQLite cannot
 * create its `-shm` file, and this SQLite build takes no `immutable` URI: the copy is what
 * the store reads (a snapshot: the media cannot change under it).
 *
 * @internal
 */
export const readOnlyCopy = (
  filename: string
): Effect.Effect<string, StoreError.StoreUnavailable, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-readonly-"))
        try {
          const copy = path.join(dir, "store.db")
          fs.copyFileSync(filename, copy)
          const wal = `${filename}-wal`
          if (fs.existsSync(wal)) fs.copyFileSync(wal, `${copy}-wal`)
          return copy
        } catch (cause) {
          fs.rmSync(dir, { recursive: true, force: true })
          throw cause
        }
      },
      catch: (cause) =>
        new StoreError.StoreUnavailable({
          reason: `${filename} is read-only and could not be copied for reading: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause
        })
    }),
    (copy) => Effect.sync(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }))
  )
