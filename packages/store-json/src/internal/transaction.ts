/**
 * Transactions: a transaction locks each book on first use (the fibers of this process on a
 * semaphore per file, other processes and stores on the book's lock file, see `lock.ts`),
 * reads it under the lock, changes a draft of it (`state.ts`), and commits every changed
 * book through the durable write path when it succeeds. A transaction may span books;
 * nested transactions join the outer one.
 *
 * @internal
 */
import { Store, StoreError } from "@partnerbook/core"
import { Clock, Duration, Effect, Exit, FiberRef, Scope } from "effect"
import * as Cache from "./cache.js"
import type * as Durable from "./durable.js"
import * as FileName from "./fileName.js"
import * as Format from "./format.js"
import * as Lock from "./lock.js"
import type { Files } from "./nodeFiles.js"
import * as State from "./state.js"

/** One book in a transaction: its file, whether the file existed, and the changes. */
export interface BookTx {
  readonly file: string
  /** The book's lock, held until the transaction ends. */
  readonly lock: Lock.Held
  readonly existed: boolean
  readonly draft: State.Draft
}

/** One top-level transaction: the books it touched (each locked), released with `scope`. */
export class Tx {
  readonly books = new Map<string, BookTx>()
  closed = false
  constructor(
    readonly scope: Scope.CloseableScope,
    readonly joining: Effect.Semaphore
  ) {}
}

/** What a read sees of a book: a transaction's draft, or a published state. */
export type Source = {
  readonly get: (kind: State.Kind, id: string) => State.Entry | undefined
  readonly entries: (kind: State.CollectionKind) => Iterable<State.Entry>
  readonly currentFeed: () => State.Feed
}

export interface Transactions {
  /** The open transaction of the current fiber, if any. */
  readonly current: Effect.Effect<Tx | undefined>
  /** The transaction's view of a book: on first use, lock it and read it under the lock. */
  readonly join: (tx: Tx, book: string) => Effect.Effect<BookTx, StoreError.StoreError>
  /** `Store.Backend.transaction`: runs `effect` in a transaction, or in the current one. */
  readonly transaction: <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | StoreError.StoreError, R>
  /** Runs `f` in the current transaction, or in a transaction of its own. */
  readonly writing: <A>(
    f: (tx: Tx) => Effect.Effect<A, StoreError.StoreError>
  ) => Effect.Effect<A, StoreError.StoreError>
  /** The book as the current transaction sees it, or as the file holds it now. */
  readonly reading: (book: string) => Effect.Effect<Source, StoreError.StoreError>
  /** Puts a record into the transaction's draft of its book. */
  readonly put: (
    tx: Tx,
    kind: State.Kind,
    record: Store.Records[State.Kind]
  ) => Effect.Effect<void, StoreError.StoreError>
}

const liveClock = Clock.make()

export const make = (options: {
  readonly fs: Files
  readonly fileOf: (book: string) => string
  readonly cache: Cache.Cache
  readonly writer: Durable.Writer
  readonly lock: Lock.Options
}): Transactions => {
  const { cache, fileOf, fs, writer } = options
  const lockTimeout = options.lock.timeout

  /** Writes every changed book of the transaction (see `Durable.Writer.commit`). */
  const commit = (tx: Tx): Effect.Effect<void, StoreError.StoreUnavailable> =>
    Effect.suspend(() => {
      const changes: Array<Durable.Change & { readonly book: string; readonly state: State.BookState }> = []
      const locks: Array<Lock.Held> = []
      for (const [book, bt] of tx.books) {
        if (!bt.draft.dirty) continue
        const state = bt.draft.state()
        locks.push(bt.lock)
        changes.push({
          book,
          state,
          file: bt.file,
          existed: bt.existed,
          bytes: State.isEmpty(state) ? undefined : () => Format.render(state)
        })
      }
      // Right before the renames: each written book's lock must still be ours (see `lock.ts`).
      const guard = Effect.forEach(locks, (lock) => lock.verify, { discard: true })
      return writer.commit(changes, guard, (change, file) =>
        cache.remember(
          change.book,
          file === undefined
            ? Cache.missing(change.book)
            : { state: change.state, key: Cache.keyOf(file.info), exists: true, scope: file.scope }
        )
      )
    })

  const current = FiberRef.unsafeMake<Tx | undefined>(undefined)
  const open = Effect.map(FiberRef.get(current), (tx) => (tx !== undefined && !tx.closed ? tx : undefined))
  const mutexes = new Map<string, Effect.Semaphore>()
  const mutexOf = (file: string) => {
    let m = mutexes.get(file)
    if (m === undefined) {
      m = Effect.unsafeMakeSemaphore(1)
      mutexes.set(file, m)
    }
    return m
  }

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
                duration: Duration.millis(lockTimeout),
                onTimeout: () =>
                  new StoreError.StoreUnavailable({
                    reason: `${file} is held by another transaction of this process; gave up after ${Duration.format(Duration.millis(lockTimeout))}`
                  })
              }),
              Effect.withClock(liveClock)
            ),
            () => mutex.release(1)
          ).pipe(Scope.extend(tx.scope))
          const lock = yield* Lock.hold(fs, FileName.lockNameOf(file), options.lock).pipe(
            Scope.extend(tx.scope)
          )
          const loaded = yield* cache.load(book)
          const bt: BookTx = { file, lock, existed: loaded.exists, draft: new State.Draft(loaded.state) }
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

  const writing = <A>(f: (tx: Tx) => Effect.Effect<A, StoreError.StoreError>) =>
    Effect.flatMap(FiberRef.get(current), (tx) =>
      tx !== undefined && !tx.closed
        ? f(tx)
        : transaction(Effect.flatMap(FiberRef.get(current), (inner) => f(inner!)))
    )

  const reading = (book: string): Effect.Effect<Source, StoreError.StoreError> =>
    Effect.flatMap(FiberRef.get(current), (tx) =>
      tx !== undefined && !tx.closed
        ? Effect.map(join(tx, book), (bt): Source => bt.draft)
        : Effect.map(cache.load(book), (loaded) => State.view(loaded.state))
    )

  const put = (tx: Tx, kind: State.Kind, record: Store.Records[State.Kind]) =>
    Effect.flatMap(
      Effect.sync(() => Format.entry(kind, record)),
      (entry) =>
        Effect.map(join(tx, record.book), (bt) => bt.draft.put(kind, Store.idOf(kind, record), entry))
    )

  return { current: open, join, transaction, writing, reading, put }
}
