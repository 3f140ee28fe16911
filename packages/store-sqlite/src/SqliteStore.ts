/**
 * A Partnerbook {@link Store.Store} in a SQLite file, on `@effect/sql-sqlite-node`
 * (better-sqlite3). All books live in one database, the book id leading every key and
 * index. The database runs in WAL mode with `synchronous=FULL` (a write that returned is on
 * disk), `foreign_keys=ON` and a busy timeout; every write runs in a `BEGIN IMMEDIATE`
 * transaction, so several processes can write to the same file at once. The schema is
 * created and upgraded by the `@effect/sql` Migrator when the store opens.
 *
 * @example
 * ```ts
 * import { Store } from "@partnerbook/core"
 * import { SqliteStore } from "@partnerbook/store-sqlite"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const store = yield* Store.Store
 *   return yield* store.books()
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(SqliteStore.layer({ filename: "partnerbook.db" }))))
 * ```
 *
 * @since 0.1.0
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Store, StoreError } from "@partnerbook/core"
import { Config, type ConfigError, Effect, Layer } from "effect"
import * as internalBackup from "./internal/backup.js"
import { classify } from "./internal/errors.js"
import * as open from "./internal/open.js"
import * as internal from "./internal/store.js"

/**
 * How to open a SQLite store.
 *
 * @since 0.1.0
 * @category models
 */
export interface SqliteStoreConfig {
  /**
   * The database file; created (with its missing parent folders, and its `-wal` and `-shm`
   * companions) when absent. An empty file is taken as a new, empty database, as SQLite itself does.
   */
  readonly filename: string
  /**
   * How long a write waits for another connection's write lock before failing with
   * `StoreUnavailable`, in milliseconds. Default 5000.
   */
  readonly busyTimeoutMs?: number | undefined
  /**
   * The most memory SQLite may use to cache database pages, in MiB (allocated as needed).
   * Default 64: enough to keep the indexes of a large book in memory during an import and
   * for the window aggregate (SQLite's own default is 2).
   */
  readonly cacheSizeMiB?: number | undefined
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeOptions {
  /** See {@link SqliteStoreConfig.busyTimeoutMs}. Default 5000. */
  readonly busyTimeoutMs?: number | undefined
  /**
   * See {@link SqliteStoreConfig.cacheSizeMiB}. Default: the client's setting is left as
   * it is.
   */
  readonly cacheSizeMiB?: number | undefined
}

/**
 * The oldest SQLite library the store runs on. Older versions have a bug that can corrupt
 * a WAL database written by several connections at once (fixed in 3.51.3, shipped with
 * better-sqlite3 12.8).
 *
 * @since 0.1.0
 * @category constants
 */
export const minimumSqliteVersion: string = open.minimumSqliteVersion

/**
 * The default busy timeout, in milliseconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBusyTimeoutMs: number = internal.defaultBusyTimeoutMs

/**
 * The default page cache of {@link layer}, in MiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCacheSizeMiB: number = internal.defaultCacheSizeMiB

/**
 * A store on an open {@link SqliteClient.SqliteClient}: checks the SQLite version, sets
 * the connection's pragmas (busy timeout, `foreign_keys`, `synchronous=FULL`, WAL) and runs
 * the migrations (tables are prefixed `partnerbook_`, so the client's database may hold
 * other tables too). Prefer {@link layer}, which also checks that an existing file is a
 * SQLite database before opening it for writing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options?: MakeOptions
): Effect.Effect<Store.Store, StoreError.StoreError, SqliteClient.SqliteClient> =>
  Effect.scoped(internal.make(options ?? {}, "shared"))

/**
 * The store in a SQLite file, as a layer. An existing file that is not a SQLite database
 * fails with `CorruptStore` and is left byte-identical; a locked or unreachable file, or a
 * SQLite library older than {@link minimumSqliteVersion}, fails with `StoreUnavailable`.
 * A database this process cannot write (read-only media, no permission on the file or its
 * folder) opens for reading: reads work on a private snapshot of it, and every write fails
 * with `StoreUnavailable`. The file is closed when the layer is released.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: SqliteStoreConfig): Layer.Layer<Store.Store, StoreError.StoreError> =>
  Layer.scoped(
    Store.Store,
    Effect.gen(function* () {
      const busyTimeoutMs = config.busyTimeoutMs ?? internal.defaultBusyTimeoutMs
      // On read-only media the store opens a private copy for reading, and refuses writes.
      const readOnly = open.isReadOnly(config.filename)
      if (!readOnly) yield* open.ensureFolder(config.filename)
      const filename = readOnly ? yield* open.readOnlyCopy(config.filename) : config.filename
      yield* open.inspect(filename, busyTimeoutMs).pipe(
        Effect.mapError((error) =>
          // Errors name the store's file, not the copy.
          readOnly && error._tag === "CorruptStore"
            ? new StoreError.CorruptStore({
                location: config.filename,
                reason: error.reason.replaceAll(filename, config.filename)
              })
            : error
        )
      )
      const client = yield* SqliteClient.make(
        readOnly ? { filename, readonly: true, disableWAL: true } : { filename }
      ).pipe(
        Effect.provide(Reactivity.layer),
        // better-sqlite3 throws while opening (a missing folder, a locked file).
        Effect.catchAllDefect((defect) => Effect.fail(classify(defect, config.filename, busyTimeoutMs)))
      )
      // The client is the store's own: it keeps the connection for as long as it lives.
      return yield* Effect.provideService(
        internal.make(
          {
            busyTimeoutMs,
            cacheSizeMiB: config.cacheSizeMiB ?? internal.defaultCacheSizeMiB,
            readOnly: readOnly ? { location: config.filename } : undefined
          },
          "exclusive"
        ),
        SqliteClient.SqliteClient,
        client
      )
    })
  )

/**
 * {@link layer} with its configuration read from a `Config`.
 *
 * @example
 * ```ts
 * import { SqliteStore } from "@partnerbook/store-sqlite"
 * import { Config } from "effect"
 *
 * const StoreLive = SqliteStore.layerConfig({
 *   filename: Config.string("PARTNERBOOK_DB").pipe(Config.withDefault("partnerbook.db"))
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<SqliteStoreConfig>
): Layer.Layer<Store.Store, StoreError.StoreError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))

/**
 * What {@link backup} wrote.
 *
 * @since 0.2.0
 * @category models
 */
export interface BackupSummary {
  /** The file written. */
  readonly destination: string
  /** Database pages copied. */
  readonly pages: number
  /** The size of the backup file, in bytes. */
  readonly bytes: number
}

/**
 * Backs up the store at `filename` into the new file `destination`, safely while the store
 * is open and being written (by this process or others): SQLite's online backup API takes
 * one consistent snapshot, including what is still in the `-wal` file. Copying the `.db`
 * file alone is NOT a backup: acknowledged writes may live only in its `-wal` until the
 * next checkpoint.
 *
 * The backup is one self-contained file (no `-wal` or `-shm` beside it), checked with
 * SQLite's `quick_check`, synced to disk, and put in place atomically; an existing
 * `destination` is never overwritten (`StoreUnavailable`). To restore, open the backup as a
 * store (`SqliteStore.layer({ filename: destination })`) or copy it to where the store
 * lives while no process has the store open. A source that is not a SQLite database fails
 * with `CorruptStore`.
 *
 * @example
 * ```ts
 * import { SqliteStore } from "@partnerbook/store-sqlite"
 * import { Effect } from "effect"
 *
 * const summary = await Effect.runPromise(
 *   SqliteStore.backup({ filename: "partnerbook.db", destination: "backups/partnerbook-2026-01-31.db" })
 * )
 * ```
 *
 * @since 0.2.0
 * @category backup
 */
export const backup = (options: {
  /** The store's database file. */
  readonly filename: string
  /** The backup file to create; its folder must exist. */
  readonly destination: string
  /** How long to wait for a lock held by a writer. Default {@link defaultBusyTimeoutMs}. */
  readonly busyTimeoutMs?: number | undefined
}): Effect.Effect<BackupSummary, StoreError.CorruptStore | StoreError.StoreUnavailable> =>
  internalBackup.backup(
    options.filename,
    options.destination,
    options.busyTimeoutMs ?? internal.defaultBusyTimeoutMs
  )

/**
 * {@link backup} for plain `async`/`await` code: resolves with the summary, rejects with the
 * typed error itself (an `Error` whose `_tag` is `CorruptStore` or `StoreUnavailable`).
 *
 * @example
 * ```ts
 * import { SqliteStore } from "@partnerbook/store-sqlite"
 *
 * await SqliteStore.backupPromise({ filename: "partnerbook.db", destination: "partnerbook-backup.db" })
 * ```
 *
 * @since 0.2.0
 * @category backup
 */
export const backupPromise = async (options: Parameters<typeof backup>[0]): Promise<BackupSummary> => {
  const result = await Effect.runPromise(Effect.either(backup(options)))
  if (result._tag === "Left") throw result.left
  return result.right
}
