/**
 * The in-memory store's backend and the in-memory change feed (public as `Store.makeMemory`,
 * `Store.appendChanges`, `Store.pageOf` and `Store.keyOfChange`, documented there).
 *
 * Generic over the record types, the query and the change, which `Store` declares: this module
 * reads nothing else from them, so it does not import `Store` (no import cycle).
 */
import { Effect, FiberRef, Option } from "effect"
import type { BookId } from "../Book.js"
import type { Entity } from "../StoreError.js"

/** The inverse of each write of a transaction, in order (run backwards to roll back). */
type Undo = Array<() => void>

/** A record of any kind: every record belongs to a book. */
type RecordMap = { readonly [K in Entity]: { readonly book: BookId } }

/** A change as the feed keys it (`Store.ChangeInput` is one). */
interface Keyed {
  readonly entity: Entity
  readonly id: string
}

/** The kinds that live in collections (everything but the one profile of a book). */
type CollectionEntity = Exclude<Entity, "profile">

/** The key of a record in a change feed (entity and id). */
export const keyOfChange = (change: Keyed): string => `${change.entity}\u0000${change.id}`

/** A book's change feed in memory: the latest change per record, in sequence order. */
interface Feed<I> {
  last: number
  readonly byKey: Map<string, I & { readonly sequence: number }>
}

/** Appends changes to a feed, pushing the inverse of each step on `undo` when given. */
export const appendChanges = <I extends Keyed>(
  feed: Feed<I>,
  changes: ReadonlyArray<I>,
  undo?: Undo
): number => {
  for (const change of changes) {
    const key = keyOfChange(change)
    const before = feed.byKey.get(key)
    const last = feed.last
    const sequence = last + 1
    feed.byKey.delete(key)
    feed.byKey.set(key, { sequence, ...change })
    feed.last = sequence
    undo?.push(() => {
      feed.byKey.delete(key)
      if (before !== undefined) {
        // Restore the old entry at its place in sequence order.
        const rest = [...feed.byKey.entries()]
        feed.byKey.clear()
        let placed = false
        for (const [k, v] of rest) {
          if (!placed && v.sequence > before.sequence) {
            feed.byKey.set(key, before)
            placed = true
          }
          feed.byKey.set(k, v)
        }
        if (!placed) feed.byKey.set(key, before)
      }
      feed.last = last
    })
  }
  return feed.last
}

/** The changes of a feed after a sequence, at most `limit`, and the feed's highest sequence. */
export const pageOf = <C extends { readonly sequence: number }>(
  feed: { readonly last: number; readonly byKey: ReadonlyMap<string, C> } | undefined,
  after: number,
  limit: number
): { readonly changes: ReadonlyArray<C>; readonly last: number } => {
  if (feed === undefined) return { changes: [], last: 0 }
  const changes: Array<C> = []
  for (const change of feed.byKey.values()) {
    if (changes.length >= limit) break
    if (change.sequence > after) changes.push(change)
  }
  return { changes, last: feed.last }
}

/** The records of every book, by kind and id. */
type Shelf<M extends RecordMap> = Map<Entity, Map<string, M[Entity]>>

/** What the backend needs to know about records: their id, and whether one matches a query. */
export interface Rules<M extends RecordMap, Q> {
  readonly idOf: (kind: Entity, record: M[Entity]) => string
  readonly matches: (kind: Entity, record: M[Entity], query: Q | undefined) => boolean
}

/**
 * The primitives of a store in memory (a `Store.Backend` for `Store.Records`): isolated per
 * call, gone when the process ends. Writes are serialised; a failed transaction is rolled
 * back from an undo log.
 */
export const makeBackend = <M extends RecordMap, Q, I extends Keyed>(rules: Rules<M, Q>) =>
  Effect.gen(function* () {
    const books = new Map<string, Shelf<M>>()
    const feeds = new Map<string, Feed<I>>()
    const lock = yield* Effect.makeSemaphore(1)
    const current = FiberRef.unsafeMake<Undo | undefined>(undefined)
    const shelf = (book: string, kind: Entity): Map<string, M[Entity]> => {
      let s = books.get(book)
      if (s === undefined) {
        s = new Map()
        books.set(book, s)
      }
      let m = s.get(kind)
      if (m === undefined) {
        m = new Map()
        s.set(kind, m)
      }
      return m
    }
    const record = (undo: Undo | undefined, book: string, kind: Entity, id: string) => {
      if (undo === undefined) return
      const m = shelf(book, kind)
      const had = m.has(id)
      const before = m.get(id)
      undo.push(() => {
        if (had) m.set(id, before!)
        else m.delete(id)
      })
    }
    return {
      read: <K extends Entity>(kind: K, book: BookId, id: string) =>
        Effect.sync(() => Option.fromNullable(books.get(book)?.get(kind)?.get(id) as M[K] | undefined)),
      write: <K extends Entity>(kind: K, value: M[K]) =>
        Effect.flatMap(FiberRef.get(current), (undo) =>
          Effect.sync(() => {
            const id = rules.idOf(kind, value)
            record(undo, value.book, kind, id)
            shelf(value.book, kind).set(id, value)
          })
        ),
      delete: (kind: Entity, book: BookId, id: string) =>
        Effect.flatMap(FiberRef.get(current), (undo) =>
          Effect.sync(() => {
            record(undo, book, kind, id)
            books.get(book)?.get(kind)?.delete(id)
          })
        ),
      list: <K extends CollectionEntity>(kind: K, book: BookId, query: Q | undefined) =>
        Effect.sync((): ReadonlyArray<M[K]> => {
          const m = books.get(book)?.get(kind)
          if (m === undefined) return []
          const out: Array<M[K]> = []
          for (const value of m.values()) if (rules.matches(kind, value, query)) out.push(value as M[K])
          return out
        }),
      isEmpty: (book: BookId) =>
        Effect.sync(() => {
          const s = books.get(book)
          if (s === undefined) return true
          for (const m of s.values()) if (m.size > 0) return false
          return true
        }),
      books: () =>
        Effect.sync(() =>
          [...books.entries()]
            .filter(([, s]) => [...s.values()].some((m) => m.size > 0))
            .map(([book]) => book as BookId)
            .sort()
        ),
      record: (book: BookId, changes: ReadonlyArray<I>) =>
        Effect.flatMap(FiberRef.get(current), (undo) =>
          Effect.sync(() => {
            let feed = feeds.get(book)
            if (feed === undefined) {
              feed = { last: 0, byKey: new Map() }
              feeds.set(book, feed)
            }
            return appendChanges(feed, changes, undo)
          })
        ),
      changes: (book: BookId, after: number, limit: number) =>
        Effect.sync(() => pageOf(feeds.get(book), after, limit)),
      transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.flatMap(FiberRef.get(current), (outer) =>
          outer !== undefined
            ? effect
            : lock.withPermits(1)(
                Effect.suspend(() => {
                  const undo: Undo = []
                  return Effect.locally(effect, current, undo).pipe(
                    Effect.onExit((exit) =>
                      exit._tag === "Failure"
                        ? Effect.sync(() => {
                            for (let i = undo.length - 1; i >= 0; i--) undo[i]!()
                          })
                        : Effect.void
                    )
                  )
                })
              )
        )
    }
  })
