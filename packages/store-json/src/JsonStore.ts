/**
 * A Partnerbook store in plain JSON files: one human-readable document per book, in a
 * folder you name, that you can read, diff, back up and keep under version control. No
 * native dependency.
 *
 * Crash- and multi-process-safe: every write takes a cross-process lock on the book, reads
 * the file again under the lock, writes the new document to a unique temp file in the same
 * folder, fsyncs it, renames it over the old file and fsyncs the folder. Readers never see a
 * half-written file; a writer killed at any moment leaves the previous version intact, and
 * its temp file is removed the next time a store opens the folder.
 *
 * Never destructive: a file that cannot be read as a book (empty, truncated, NUL-filled,
 * invalid JSON, a record that violates the schema, an unknown format version) fails with
 * `CorruptStore` naming the file and the place in it, and is left byte-for-byte as it was;
 * writes to that book fail too until the file is repaired.
 *
 * @example
 * ```ts
 * import { Book, Store } from "@partnerbook/core"
 * import { JsonStore } from "@partnerbook/store-json"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const store = yield* Store.Store
 *   return yield* store.partners.list(Book.defaultBookId)
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(JsonStore.layer({ directory: "./partnerbook" }))))
 * ```
 *
 * @since 0.1.0
 */
import type { FileSystem, Path } from "@effect/platform"
import type { Book, StoreError } from "@partnerbook/core"
import { Store } from "@partnerbook/core"
import { Config, type ConfigError, Context, Duration, Effect, Layer, type Scope } from "effect"
import * as FileName from "./internal/fileName.js"
import * as Format from "./internal/format.js"
import * as NodeFiles from "./internal/nodeFiles.js"
import * as internal from "./internal/store.js"

/**
 * The options of a JSON store.
 *
 * @since 0.1.0
 * @category models
 */
export interface JsonStoreConfig {
  /** The folder that holds the books (created if missing): one `<book>.json` per book. */
  readonly directory: string
  /**
   * How long a write waits for another process (or transaction) to release the book
   * before it fails with `StoreUnavailable`. Default: 30 seconds.
   */
  readonly lockTimeout?: Duration.DurationInput | undefined
  /**
   * A lock whose owner has not shown a sign of life for this long is taken over. A lock
   * whose owner is a dead process on this machine is taken over at once. Default: 20 seconds.
   */
  readonly staleLockTimeout?: Duration.DurationInput | undefined
  /** How many decoded books to keep in memory between calls. Default: 16. */
  readonly cacheSize?: number | undefined
}

/**
 * The version of the file format this package writes (the `storeVersion` field). Older
 * versions are read and upgraded on the next write; newer ones fail with `CorruptStore`.
 *
 * @since 0.1.0
 * @category constants
 */
export const formatVersion: number = Format.storeVersion

/**
 * The name of the file that holds a book inside the folder: the id with every character
 * outside `[a-z0-9_-]` escaped (`Alice` -> `%41lice.json`, `../x` -> `%2E%2E%2Fx.json`),
 * or a hash of the id when the escaped form would be too long for a file name.
 *
 * @since 0.1.0
 * @category utils
 */
export const fileName = (book: Book.BookId): string => FileName.fileNameOf(book)

// `@effect/platform`'s own tags, by their keys (Effect finds a service by its tag's key), so
// that nothing of the platform package is loaded at run time: `make` takes whatever
// `FileSystem` and `Path` the application provides; the layers need neither.
const FileSystemTag = Context.GenericTag<FileSystem.FileSystem>("@effect/platform/FileSystem")
const PathTag = Context.GenericTag<Path.Path>("@effect/platform/Path")

const options = (config: JsonStoreConfig) => ({
  directory: config.directory,
  lockTimeout: Duration.toMillis(Duration.decode(config.lockTimeout ?? "30 seconds")),
  staleLock: Duration.toMillis(Duration.decode(config.staleLockTimeout ?? "20 seconds")),
  cacheSize: Math.max(1, config.cacheSize ?? 16)
})

/**
 * A store over a folder, on any platform `FileSystem`. Creates the folder if it is missing
 * and removes the temp files that killed writers left behind. Cached file handles are
 * closed with the scope. Its `FileSystem` and `Path` come from `@effect/platform`, an optional
 * peer dependency: install it to use `make` (the layers do not need it).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  config: JsonStoreConfig
): Effect.Effect<Store.Store, StoreError.StoreError, FileSystem.FileSystem | Path.Path | Scope.Scope> =>
  Effect.gen(function* () {
    const fs = yield* FileSystemTag
    const path = yield* PathTag
    return yield* internal.make(fs, path, options(config))
  })

// The layers run on `node:fs` directly (not `@effect/platform-node`, whose dependencies
// include @effect/cluster and native packages): see internal/nodeFiles.ts.
const onNode = (config: JsonStoreConfig): Effect.Effect<Store.Store, StoreError.StoreError, Scope.Scope> =>
  internal.make(NodeFiles.files, NodeFiles.path, options(config))

/**
 * The store as a layer, on Node's file system (`node:fs`; no `@effect/platform` needed).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: JsonStoreConfig): Layer.Layer<Store.Store, StoreError.StoreError> =>
  Layer.scoped(Store.Store, onNode(config))

/**
 * The store as a layer, its options read from `Config`.
 *
 * @example
 * ```ts
 * import { JsonStore } from "@partnerbook/store-json"
 * import { Config } from "effect"
 *
 * const StoreLive = JsonStore.layerConfig({ directory: Config.string("PARTNERBOOK_DIR") })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<JsonStoreConfig>
): Layer.Layer<Store.Store, StoreError.StoreError | ConfigError.ConfigError> =>
  Layer.scoped(Store.Store, Effect.flatMap(Config.unwrap(config), onNode))
