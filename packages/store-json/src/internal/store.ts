/**
 * The JSON-file store: a `Store.Backend` over one file per book. This module wires the parts
 * (each in its own module: `cache.ts` reads, `transaction.ts` locks and drafts, `durable.ts`
 * writes, `cleanup.ts` clears what crashed writers left) and answers the reads: from the
 * current transaction's draft, or from the cache, which re-reads a file only when it changed.
 *
 * @internal
 */
import type { Path } from "@effect/platform"
import { type Book, Store, type StoreError } from "@partnerbook/core"
import { Effect, Either, Option, type Scope } from "effect"
import * as Cache from "./cache.js"
import * as Cleanup from "./cleanup.js"
import * as Durable from "./durable.js"
import { isNotFound, unavailable } from "./errors.js"
import * as Feed from "./feed.js"
import * as FileName from "./fileName.js"
import * as Format from "./format.js"
import type * as Lock from "./lock.js"
import type { Files } from "./nodeFiles.js"
import * as State from "./state.js"
import * as Transaction from "./transaction.js"

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

const hasRecords = (state: State.BookState): boolean =>
  state.profile !== null || State.collectionKinds.some((kind) => state.shelves[kind].ids.length > 0)

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
    const cache = yield* Cache.make(fs, fileOf, options.cacheSize)
    const writer = yield* Durable.make(fs, path, dir)
    const transactions = Transaction.make({ fs, fileOf, cache, writer, lock: lockOptions })

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
        const loaded = yield* Effect.either(cache.load(book))
        if (Either.isRight(loaded) && !hasRecords(loaded.right.state)) books.delete(book)
      }
      const tx = yield* transactions.current
      if (tx !== undefined) {
        for (const [book, bt] of tx.books) {
          if (bt.draft.isEmpty()) books.delete(book)
          else books.add(book)
        }
      }
      return [...books].sort() as Array<Book.BookId>
    })

    yield* Cleanup.clearOrphans(fs, path, dir, lockOptions)

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
        Effect.map(transactions.reading(book), (source) =>
          Option.fromNullable(source.get(kind, id)?.record as Store.Records[K] | undefined)
        ),
      write: (kind, record) => transactions.writing((tx) => transactions.put(tx, kind, record)),
      writeMany: (kind, records) =>
        transactions.writing((tx) =>
          Effect.forEach(records, (record) => transactions.put(tx, kind, record), { discard: true })
        ),
      delete: (kind, book, id) =>
        transactions.writing((tx) =>
          Effect.map(transactions.join(tx, book), (bt) => bt.draft.delete(kind, id))
        ),
      list: <K extends State.CollectionKind>(kind: K, book: Book.BookId, query: Store.Query | undefined) =>
        Effect.map(transactions.reading(book), (source) => {
          const out: Array<Store.Records[K]> = []
          for (const e of source.entries(kind)) {
            if (Store.matches(kind, e.record, query)) out.push(e.record as Store.Records[K])
          }
          return out
        }),
      window: (book, window) =>
        Effect.map(transactions.reading(book), (source) => {
          const referrals: Array<Store.Records["referral"]> = []
          for (const e of source.entries("referral")) referrals.push(e.record as Store.Records["referral"])
          return Store.aggregate(referrals, window)
        }),
      // The history reads, computed from the decoded cache (no file read when it is fresh).
      digest: (book, query) =>
        Effect.map(transactions.reading(book), (source) =>
          Store.digest(
            records(source, "partner"),
            records(source, "referral"),
            records(source, "interaction"),
            query
          )
        ),
      pending: (book, asOf) =>
        Effect.map(transactions.reading(book), (source) => Store.pending(records(source, "referral"), asOf)),
      received: (book, query) =>
        Effect.map(transactions.reading(book), (source) =>
          Store.received(records(source, "partner"), records(source, "referral"), query)
        ),
      isEmpty: (book) =>
        Effect.map(transactions.reading(book), (source) => {
          if (source.get("profile", book) !== undefined) return false
          for (const kind of State.collectionKinds) for (const _ of source.entries(kind)) return false
          return true
        }),
      books: () => listBooks,
      transaction: transactions.transaction,
      record: (book, changes) =>
        transactions.writing((tx) =>
          Effect.map(transactions.join(tx, book), (bt) => bt.draft.record(changes, Store.appendChanges))
        ),
      changes: (book, after, limit) =>
        Effect.map(transactions.reading(book), (source) => Feed.since(source.currentFeed(), after, limit))
    }
    return Store.make(backend)
  })
