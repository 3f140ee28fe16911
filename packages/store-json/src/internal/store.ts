/**
 * The JSON-file store: a `Store.Backend` over one file per book.
 *
 * @internal
 */
import type { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import type { Files } from "./nodeFiles.js"
import { type Book, Store, StoreError } from "@partnerbook/core"
import { Clock, Duration, Effect, Either, Exit, FiberRef, Option, Scope } from "effect"
import { randomBytes } from "node:crypto"
import * as FileName from "./fileName.js"
import * as Format from "./format.js"
import * as Lock from "./lock.js"
import * as State from "./state.js"

/** The resolved options of a store. */
export interface Options {
  readonly directory: string
  /** Milliseconds to wait for a book's lock. */
  readonly lockTimeout: number
  /** Milliseconds after which a lock without heartbeat is stale. */
  readonly staleLock: number
  /** How many decoded books to keep in memory. */
  readonly cacheSize: number
}

/**
 * A decoded book and the file it came from. `handle` keeps that file open: as long as it is
 * open its inode cannot be freed, so its number cannot be reused by a newer file, and an
 * unchanged (inode, size, mtime) of the path means the file is still the one we decoded
 * (writers never change a file in place: they rename a new one over it).
 */
interface Loaded {
  readonly state: State.BookState
  /** `undefined` when there is no file. */
  readonly key: string | undefined
  readonly exists: boolean
  readonly scope: Scope.CloseableScope | undefined
}

const keyOf = (info: FileSystem.File.Info): string | undefined =>
  Option.isNone(info.ino) || Option.isNone(info.mtime)
    ? undefined // no inode numbers here: never trust the cache
    : `${info.dev}:${info.ino.value}:${info.size}:${info.mtime.value.getTime()}`

interface BookTx {
  readonly file: string
  readonly existed: boolean
  readonly draft: State.Draft
}

/** One top-level transaction: the books it touched (each locked), released with `scope`. */
class Tx {
  readonly books = new Map<string, BookTx>()
  closed = false
  constructor(
    readonly scope: Scope.CloseableScope,
    readonly joining: Effect.Semaphore
  ) {}
}

const liveClock = Clock.make()

const hasRecords = (state: State.BookState): boolean =>
  state.profile !== null || State.collectionKinds.some((kind) => state.shelves[kind].ids.length > 0)

const isNotFound = (e: PlatformError) => e._tag === "SystemError" && e.reason === "NotFound"

const errno = (e: PlatformError): string | undefined =>
  e._tag === "SystemError" ? (e.cause as NodeJS.ErrnoException | undefined)?.code : undefined

const describe = (e: PlatformError): string =>
  e._tag === "SystemError" ? (e.description ?? `${e.reason} (${e.method})`) : e.message

const unavailable = (what: string) => (e: PlatformError) =>
  new StoreError.StoreUnavailable({ reason: `${what}: ${describe(e)}`, cause: e })

const corruptAt = (file: string, failure: Format.ParseFailure): StoreError.CorruptStore =>
  new StoreError.CorruptStore({
    location:
      failure.position !== undefined
        ? `${file}:${failure.position.line}:${failure.position.column}`
        : failure.path === ""
          ? file
          : `${file}#${failure.path}`,
    reason: failure.reason
  })

/** Builds the store over a folder: creates it if needed and clears what crashed writers left. */
export const make = (
  fs: Files,
  path: Path.Path,
  options: Options
): Effect.Effect<Store.Store, StoreError.StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const dir = path.resolve(options.directory)
    const lockOptions: Lock.Options = { timeout: options.lockTimeout, stale: options.staleLock }
    yield* fs
      .makeDirectory(dir, { recursive: true })
      .pipe(Effect.mapError(unavailable(`cannot create ${dir}`)))

    const fileOf = (book: string) => path.join(dir, FileName.fileNameOf(book))

    // -- reading -------------------------------------------------------------------------

    const cache = new Map<string, Loaded>()
    const forget = (loaded: Loaded | undefined) =>
      loaded?.scope === undefined ? Effect.void : Scope.close(loaded.scope, Exit.void)
    const remember = (book: string, loaded: Loaded): Effect.Effect<Loaded> =>
      Effect.suspend(() => {
        const previous = cache.get(book)
        cache.delete(book)
        cache.set(book, loaded)
        const evicted = cache.size > options.cacheSize ? cache.get(cache.keys().next().value!) : undefined
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

    const missing = (book: string): Loaded => ({
      state: State.empty(book),
      key: undefined,
      exists: false,
      scope: undefined
    })

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

    // -- writing -------------------------------------------------------------------------

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

    /** A new version of a book file, written and fsynced under a temp name, not yet visible. */
    interface Prepared {
      readonly temp: string
      readonly scope: Scope.CloseableScope
      readonly info: FileSystem.File.Info
    }

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

    type Step =
      | {
          readonly _tag: "replace"
          readonly book: string
          readonly bt: BookTx
          readonly state: State.BookState
          readonly prepared: Prepared
        }
      | { readonly _tag: "remove"; readonly book: string; readonly bt: BookTx }

    /**
     * Makes a transaction's changes durable. First every changed book's new file is written
     * and fsynced under a temp name: if any of that fails (a full disk), the temp files are
     * removed and no book changed. Then each temp file is renamed over its book (an emptied
     * book's file is removed), and the folder is fsynced once. Each book's file is replaced
     * atomically; a transaction over several books is not atomic across them if the process
     * dies between two renames.
     */
    const commit = (tx: Tx): Effect.Effect<void, StoreError.StoreUnavailable> =>
      Effect.gen(function* () {
        const steps: Array<Step> = []
        const written = yield* Effect.forEach(tx.books, ([book, bt]) => {
          if (!bt.draft.dirty) return Effect.void
          const state = bt.draft.state()
          // An empty book has no file: a missing file is an empty book.
          if (State.isEmpty(state)) return Effect.sync(() => void steps.push({ _tag: "remove", book, bt }))
          return Effect.map(prepare(bt.file, Format.render(state)), (prepared) => {
            steps.push({ _tag: "replace", book, bt, state, prepared })
          })
        }).pipe(Effect.either)
        const pending = () =>
          Effect.forEach(steps, (step) => (step._tag === "replace" ? discard(step.prepared) : Effect.void), {
            discard: true
          })
        if (Either.isLeft(written)) {
          yield* pending()
          return yield* Effect.fail(written.left)
        }
        if (steps.length === 0) return
        let installed = 0
        const renamed = yield* Effect.forEach(
          steps,
          (step) =>
            (step._tag === "replace"
              ? fs
                  .rename(step.prepared.temp, step.bt.file)
                  .pipe(Effect.mapError(unavailable(`cannot write ${step.bt.file}`)))
              : step.bt.existed
                ? fs.remove(step.bt.file).pipe(
                    Effect.catchIf(isNotFound, () => Effect.void),
                    Effect.mapError(unavailable(`cannot remove ${step.bt.file}`))
                  )
                : Effect.void
            ).pipe(Effect.tap(() => void installed++)),
          { discard: true }
        ).pipe(Effect.either)
        // What was renamed is the book now (and its handle the cache's); the rest is discarded.
        yield* Effect.forEach(
          steps,
          (step, i) =>
            i >= installed
              ? step._tag === "replace"
                ? discard(step.prepared)
                : Effect.void
              : step._tag === "replace"
                ? remember(step.book, {
                    state: step.state,
                    key: keyOf(step.prepared.info),
                    exists: true,
                    scope: step.prepared.scope
                  })
                : remember(step.book, missing(step.book)),
          { discard: true }
        )
        if (Either.isLeft(renamed)) return yield* Effect.fail(renamed.left)
        yield* syncDirectory
      })

    // -- transactions --------------------------------------------------------------------

    const current = FiberRef.unsafeMake<Tx | undefined>(undefined)
    const mutexes = new Map<string, Effect.Semaphore>()
    const mutexOf = (file: string) => {
      let m = mutexes.get(file)
      if (m === undefined) {
        m = Effect.unsafeMakeSemaphore(1)
        mutexes.set(file, m)
      }
      return m
    }

    /** The transaction's view of a book: on first use, lock it and read it under the lock. */
    const join = (tx: Tx, book: string): Effect.Effect<BookTx, StoreError.StoreError> => {
      const found = tx.books.get(book)
      if (found !== undefined) return Effect.succeed(found)
      return tx.joining.withPermits(1)(
        Effect.suspend(() => {
          const again = tx.books.get(book)
          if (again !== undefined) return Effect.succeed(again)
          const file = fileOf(book)
          const mutex = mutexOf(file)
          return Effect.gen(function* () {
            // Fibers of this process queue here; processes (and other stores) on the lock file.
            yield* Effect.acquireRelease(
              mutex.take(1).pipe(
                Effect.timeoutFail({
                  duration: Duration.millis(options.lockTimeout),
                  onTimeout: () =>
                    new StoreError.StoreUnavailable({
                      reason: `${file} is held by another transaction of this process; gave up after ${Duration.format(Duration.millis(options.lockTimeout))}`
                    })
                }),
                Effect.withClock(liveClock)
              ),
              () => mutex.release(1)
            ).pipe(Scope.extend(tx.scope))
            yield* Lock.acquire(fs, FileName.lockNameOf(file), lockOptions).pipe(Scope.extend(tx.scope))
            const loaded = yield* load(book)
            const bt: BookTx = { file, existed: loaded.exists, draft: new State.Draft(loaded.state) }
            tx.books.set(book, bt)
            return bt
          })
        })
      )
    }

    const transaction = <A, E, R>(
      effect: Effect.Effect<A, E, R>
    ): Effect.Effect<A, E | StoreError.StoreError, R> =>
      Effect.flatMap(FiberRef.get(current), (outer) =>
        outer !== undefined && !outer.closed
          ? effect
          : Effect.uninterruptibleMask((restore) =>
              Effect.gen(function* () {
                const scope = yield* Scope.make()
                const tx = new Tx(scope, yield* Effect.makeSemaphore(1))
                const exit = yield* Effect.exit(restore(Effect.locally(effect, current, tx)))
                const result: Exit.Exit<A, E | StoreError.StoreError> = Exit.isSuccess(exit)
                  ? Exit.as(yield* Effect.exit(commit(tx)), exit.value)
                  : exit
                tx.closed = true
                yield* Scope.close(scope, result)
                return yield* result
              })
            )
      )

    /** Runs `f` in the current transaction, or in a transaction of its own. */
    const writing = <A>(f: (tx: Tx) => Effect.Effect<A, StoreError.StoreError>) =>
      Effect.flatMap(FiberRef.get(current), (tx) =>
        tx !== undefined && !tx.closed
          ? f(tx)
          : transaction(Effect.flatMap(FiberRef.get(current), (inner) => f(inner!)))
      )

    type Source = {
      readonly get: (kind: State.Kind, id: string) => State.Entry | undefined
      readonly entries: (kind: State.CollectionKind) => Iterable<State.Entry>
      readonly currentFeed: () => State.Feed
    }

    /** The book as the current transaction sees it, or as the file holds it now. */
    const reading = (book: string): Effect.Effect<Source, StoreError.StoreError> =>
      Effect.flatMap(FiberRef.get(current), (tx) =>
        tx !== undefined && !tx.closed
          ? Effect.map(join(tx, book), (bt): Source => bt.draft)
          : Effect.map(load(book), (loaded) => State.view(loaded.state))
      )

    const put = (tx: Tx, kind: State.Kind, record: Store.Records[State.Kind]) =>
      Effect.flatMap(
        Effect.sync(() => Format.entry(kind, record)),
        (entry) =>
          Effect.map(join(tx, record.book), (bt) => bt.draft.put(kind, Store.idOf(kind, record), entry))
      )

    // -- books ---------------------------------------------------------------------------

    const listBooks = Effect.gen(function* () {
      const names = yield* fs.readDirectory(dir).pipe(
        Effect.catchIf(isNotFound, () => Effect.succeed([] as Array<string>)),
        Effect.mapError(unavailable(`cannot list ${dir}`))
      )
      const books = new Set<string>()
      for (const name of names) {
        const stem = FileName.stemOfFileName(name)
        if (stem === undefined) continue
        if (FileName.isHashed(stem)) {
          // The id is too long for a file name: it is in the document.
          const file = path.join(dir, name)
          const bytes = yield* fs.readFile(file).pipe(
            Effect.map((b): Uint8Array | undefined => b),
            Effect.catchIf(isNotFound, () => Effect.succeed(undefined)),
            Effect.mapError(unavailable(`cannot read ${file}`))
          )
          const id = bytes === undefined ? undefined : Format.bookIdOf(bytes)
          if (id !== undefined && FileName.stemOf(id) === stem) books.add(id)
          continue
        }
        const id = FileName.bookOfStem(stem)
        if (id !== undefined) books.add(id)
      }
      // An emptied book keeps its file for its change feed: list only books with records.
      for (const book of [...books]) {
        // An unreadable file stays listed: its book is there, and reading it names the problem.
        const loaded = yield* Effect.either(load(book))
        if (Either.isRight(loaded) && !hasRecords(loaded.right.state)) books.delete(book)
      }
      const tx = yield* FiberRef.get(current)
      if (tx !== undefined && !tx.closed) {
        for (const [book, bt] of tx.books) {
          if (bt.draft.isEmpty()) books.delete(book)
          else books.add(book)
        }
      }
      return [...books].sort() as Array<Book.BookId>
    })

    // -- open: clear what crashed writers left -------------------------------------------

    // Best effort: a folder this process may not write to is still readable.
    yield* Effect.ignore(
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
              const now = yield* fs
                .readDirectory(dir)
                .pipe(Effect.mapError(unavailable(`cannot list ${dir}`)))
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

    const records = <K extends State.CollectionKind>(
      source: { readonly entries: (kind: K) => Iterable<{ readonly record: unknown }> },
      kind: K
    ): Array<Store.Records[K]> => {
      const out: Array<Store.Records[K]> = []
      for (const e of source.entries(kind)) out.push(e.record as Store.Records[K])
      return out
    }

    const backend: Store.Backend = {
      read: <K extends State.Kind>(kind: K, book: Book.BookId, id: string) =>
        Effect.map(reading(book), (source) =>
          Option.fromNullable(source.get(kind, id)?.record as Store.Records[K] | undefined)
        ),
      write: (kind, record) => writing((tx) => put(tx, kind, record)),
      writeMany: (kind, records) =>
        writing((tx) => Effect.forEach(records, (record) => put(tx, kind, record), { discard: true })),
      delete: (kind, book, id) =>
        writing((tx) => Effect.map(join(tx, book), (bt) => bt.draft.delete(kind, id))),
      list: <K extends State.CollectionKind>(kind: K, book: Book.BookId, query: Store.Query | undefined) =>
        Effect.map(reading(book), (source) => {
          const out: Array<Store.Records[K]> = []
          for (const e of source.entries(kind)) {
            if (Store.matches(kind, e.record, query)) out.push(e.record as Store.Records[K])
          }
          return out
        }),
      window: (book, window) =>
        Effect.map(reading(book), (source) => {
          const referrals: Array<Store.Records["referral"]> = []
          for (const e of source.entries("referral")) referrals.push(e.record as Store.Records["referral"])
          return Store.aggregate(referrals, window)
        }),
      // The history reads, computed from the decoded cache (no file read when it is fresh).
      digest: (book, query) =>
        Effect.map(reading(book), (source) =>
          Store.digest(
            records(source, "partner"),
            records(source, "referral"),
            records(source, "interaction"),
            query
          )
        ),
      pending: (book, asOf) =>
        Effect.map(reading(book), (source) => Store.pending(records(source, "referral"), asOf)),
      received: (book, query) =>
        Effect.map(reading(book), (source) =>
          Store.received(records(source, "partner"), records(source, "referral"), query)
        ),
      isEmpty: (book) =>
        Effect.map(reading(book), (source) => {
          if (source.get("profile", book) !== undefined) return false
          for (const kind of State.collectionKinds) for (const _ of source.entries(kind)) return false
          return true
        }),
      books: () => listBooks,
      transaction,
      record: (book, changes) =>
        writing((tx) => Effect.map(join(tx, book), (bt) => bt.draft.record(changes, Store.appendChanges))),
      changes: (book, after, limit) =>
        Effect.map(reading(book), (source) => {
          const feed = source.currentFeed()
          const out: Array<Store.Change> = []
          for (const c of feed.changes) {
            if (out.length >= limit) break
            if (c.sequence > after) out.push(c)
          }
          return { changes: out, last: feed.last }
        })
    }
    return Store.make(backend)
  })
