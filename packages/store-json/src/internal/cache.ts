/**
 * The decoded books this store keeps between calls, and the read of a book through them:
 * a `stat` of the file, and a read and decode only when the file is not the one this store
 * last read or wrote. At most `size` books, least recently used first out; each entry keeps
 * its file open (see {@link Loaded}), closed when it leaves the cache or the store closes.
 *
 * @internal
 */
import type { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { StoreError } from "@partnerbook/core"
import { Effect, Either, Exit, Option, Scope } from "effect"
import { corruptAt, isNotFound, unavailable } from "./errors.js"
import * as Format from "./format.js"
import type { Files } from "./nodeFiles.js"
import * as State from "./state.js"

/**
 * A decoded book and the file it came from. `handle` keeps that file open: as long as it is
 * open its inode cannot be freed, so its number cannot be reused by a newer file, and an
 * unchanged (inode, size, mtime) of the path means the file is still the one we decoded
 * (writers never change a file in place: they rename a new one over it).
 */
export interface Loaded {
  readonly state: State.BookState
  /** `undefined` when there is no file. */
  readonly key: string | undefined
  readonly exists: boolean
  readonly scope: Scope.CloseableScope | undefined
}

/** What identifies one version of a file: device, inode, size and mtime. */
export const keyOf = (info: FileSystem.File.Info): string | undefined =>
  Option.isNone(info.ino) || Option.isNone(info.mtime)
    ? undefined // no inode numbers here: never trust the cache
    : `${info.dev}:${info.ino.value}:${info.size}:${info.mtime.value.getTime()}`

/** A book without a file: an empty book. */
export const missing = (book: string): Loaded => ({
  state: State.empty(book),
  key: undefined,
  exists: false,
  scope: undefined
})

export interface Cache {
  /** The book as its file holds it now (see the module comment). */
  readonly load: (book: string) => Effect.Effect<Loaded, StoreError.StoreError>
  /** Makes `loaded` the book's entry (a write's new file); closes the entry it replaces. */
  readonly remember: (book: string, loaded: Loaded) => Effect.Effect<Loaded>
}

/** The cache of a store; its files are closed with the scope. */
export const make = (
  fs: Files,
  fileOf: (book: string) => string,
  size: number
): Effect.Effect<Cache, never, Scope.Scope> =>
  Effect.gen(function* () {
    const cache = new Map<string, Loaded>()
    const forget = (loaded: Loaded | undefined) =>
      loaded?.scope === undefined ? Effect.void : Scope.close(loaded.scope, Exit.void)
    const remember = (book: string, loaded: Loaded): Effect.Effect<Loaded> =>
      Effect.suspend(() => {
        const previous = cache.get(book)
        cache.delete(book)
        cache.set(book, loaded)
        const evicted = cache.size > size ? cache.get(cache.keys().next().value!) : undefined
        if (evicted !== undefined) cache.delete(evicted.state.book)
        return Effect.as(
          Effect.zipRight(previous === loaded ? Effect.void : forget(previous), forget(evicted)),
          loaded
        )
      })
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        const all = [...cache.values()]
        cache.clear()
        return Effect.forEach(all, forget, { discard: true })
      })
    )

    const stat = (
      file: string
    ): Effect.Effect<Option.Option<FileSystem.File.Info>, StoreError.StoreUnavailable> =>
      fs.stat(file).pipe(
        Effect.map(Option.some),
        Effect.catchIf(isNotFound, () => Effect.succeedNone),
        Effect.mapError(unavailable(`cannot read ${file}`))
      )

    /** Every byte of an open file, from the start. */
    const readAll = (handle: FileSystem.File, size: number): Effect.Effect<Uint8Array, PlatformError> =>
      Effect.gen(function* () {
        const chunks: Array<Uint8Array> = []
        let total = 0
        while (true) {
          const chunk = yield* handle.readAlloc(Math.max(size - total, 64 * 1024))
          if (Option.isNone(chunk)) break
          chunks.push(chunk.value)
          total += chunk.value.byteLength
        }
        return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)
      })

    /** Opens, reads and decodes a book file; the open handle goes into the cache entry. */
    const decodeFile = (book: string, file: string): Effect.Effect<Loaded, StoreError.StoreError> =>
      Effect.gen(function* () {
        // A book file is a regular file this store wrote. A symbolic link (to a file
        // outside the folder, say) is refused before it is read: following it would read,
        // and quote in errors, a file that is not the store's.
        const link = yield* fs.readLink(file).pipe(Effect.option)
        if (Option.isSome(link)) {
          return yield* Effect.fail(
            new StoreError.CorruptStore({
              location: file,
              reason: `the book file is a symbolic link (to ${JSON.stringify(link.value)}), not a file this store wrote; it was not read. Replace the link with the file itself`
            })
          )
        }
        const scope = yield* Scope.make()
        const result = yield* Effect.gen(function* () {
          const handle = yield* fs.open(file, { flag: "r" }).pipe(Scope.extend(scope))
          const info = yield* handle.stat
          const bytes = yield* readAll(handle, Number(info.size))
          return { info, bytes }
        }).pipe(
          Effect.map(Option.some),
          Effect.catchIf(isNotFound, () => Effect.succeedNone), // removed since the stat
          Effect.mapError(unavailable(`cannot read ${file}`)),
          Effect.either
        )
        if (Either.isLeft(result) || Option.isNone(result.right)) {
          yield* Scope.close(scope, Exit.void)
          return Either.isLeft(result) ? yield* Effect.fail(result.left) : missing(book)
        }
        const { bytes, info } = result.right.value
        const parsed = Format.parse(bytes, book)
        if (Either.isLeft(parsed)) {
          yield* Scope.close(scope, Exit.void)
          return yield* Effect.fail(corruptAt(file, parsed.left))
        }
        return { state: parsed.right, key: keyOf(info), exists: true, scope }
      })

    /**
     * The book as the file holds it now: a `stat` of the path, and a read and decode only
     * when the file is not the one this store last read or wrote. No lock is needed to
     * read: a rename replaces the whole file at once.
     */
    const load = (book: string): Effect.Effect<Loaded, StoreError.StoreError> => {
      const file = fileOf(book)
      return Effect.flatMap(stat(file), (info) => {
        const cached = cache.get(book)
        if (Option.isNone(info)) {
          if (cached !== undefined && !cached.exists) return Effect.succeed(cached)
          return remember(book, missing(book))
        }
        const key = keyOf(info.value)
        if (cached?.exists && key !== undefined && cached.key === key) {
          return remember(book, cached)
        }
        return Effect.flatMap(decodeFile(book, file), (loaded) => remember(book, loaded))
      })
    }

    return { load, remember }
  })
