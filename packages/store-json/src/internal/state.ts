/**
 * A book in memory: each collection as two parallel arrays sorted by id (code-unit order,
 * the order of the file), each record with the UTF-8 bytes of the JSON text it is written
 * as (computed once, then copied into every later write of the file). A `BookState` is immutable once published; a
 * transaction changes a {@link Draft}, which copies a collection's arrays (a copy of
 * pointers, no hashing) on its first write to it.
 *
 * @internal
 */
import type { Store, StoreError } from "@partnerbook/core"

/** A record kind. */
export type Kind = StoreError.Entity

/** A collection kind. */
export type CollectionKind = Store.CollectionEntity

/** One stored record and, once computed, the bytes of its JSON text (see `encode.ts`). */
export interface Entry {
  readonly record: Store.Records[Kind]
  bytes: Uint8Array | undefined
}

/** One collection: ids in code-unit order, and the entry of each id at the same index. */
export interface Shelf {
  readonly ids: ReadonlyArray<string>
  readonly entries: ReadonlyArray<Entry>
}

/** The change feed of a book: its highest sequence, and the latest change of each record, by sequence. */
export interface Feed {
  readonly last: number
  readonly changes: ReadonlyArray<Store.Change>
}

/** A whole book. */
export interface BookState {
  readonly book: string
  readonly profile: Entry | null
  readonly shelves: Readonly<Record<CollectionKind, Shelf>>
  readonly feed: Feed
}

const emptyFeed: Feed = { last: 0, changes: [] }

/** The collection kinds, in document order. */
export const collectionKinds: ReadonlyArray<CollectionKind> = ["partner", "referral", "interaction", "client"]

const emptyShelf: Shelf = { ids: [], entries: [] }

/** A book without records. */
export const empty = (book: string): BookState => ({
  book,
  profile: null,
  shelves: { partner: emptyShelf, referral: emptyShelf, interaction: emptyShelf, client: emptyShelf },
  feed: emptyFeed
})

/**
 * Whether the book holds nothing worth a file: no record and no change feed. (An erased
 * book keeps its file for the feed, so that its sequence is never reused.)
 */
export const isEmpty = (state: BookState): boolean =>
  state.feed.last === 0 &&
  state.profile === null &&
  collectionKinds.every((kind) => state.shelves[kind].ids.length === 0)

/** The index of `id` in `ids`, or where it would go. */
const search = (ids: ReadonlyArray<string>, id: string): number => {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ids[mid]! < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The entry of `id` in a shelf, if any. */
export const find = (shelf: Shelf, id: string): Entry | undefined => {
  const i = search(shelf.ids, id)
  return shelf.ids[i] === id ? shelf.entries[i] : undefined
}

interface MutableShelf {
  readonly ids: Array<string>
  readonly entries: Array<Entry>
}

/** The changes of one transaction to one book, on top of the state it read under the lock. */
export class Draft {
  private profile: Entry | null
  private readonly owned = new Map<CollectionKind, MutableShelf>()
  private feed: { last: number; readonly byKey: Map<string, Store.Change> } | undefined
  /** Whether anything was written (even if the result equals the base). */
  dirty = false

  constructor(readonly base: BookState) {
    this.profile = base.profile
  }

  private shelf(kind: CollectionKind): Shelf {
    return this.owned.get(kind) ?? this.base.shelves[kind]
  }

  private own(kind: CollectionKind): MutableShelf {
    let shelf = this.owned.get(kind)
    if (shelf === undefined) {
      const base = this.base.shelves[kind]
      shelf = { ids: base.ids.slice(), entries: base.entries.slice() }
      this.owned.set(kind, shelf)
    }
    return shelf
  }

  get(kind: Kind, id: string): Entry | undefined {
    if (kind === "profile") return id === this.base.book ? (this.profile ?? undefined) : undefined
    return find(this.shelf(kind), id)
  }

  entries(kind: CollectionKind): ReadonlyArray<Entry> {
    return this.shelf(kind).entries
  }

  put(kind: Kind, id: string, entry: Entry): void {
    this.dirty = true
    if (kind === "profile") {
      this.profile = entry
      return
    }
    const shelf = this.own(kind)
    const i = search(shelf.ids, id)
    if (shelf.ids[i] === id) {
      shelf.entries[i] = entry
    } else {
      shelf.ids.splice(i, 0, id)
      shelf.entries.splice(i, 0, entry)
    }
  }

  delete(kind: Kind, id: string): void {
    if (kind === "profile") {
      if (this.profile !== null && id === this.base.book) {
        this.dirty = true
        this.profile = null
      }
      return
    }
    if (find(this.shelf(kind), id) === undefined) return
    this.dirty = true
    const shelf = this.own(kind)
    const i = search(shelf.ids, id)
    shelf.ids.splice(i, 1)
    shelf.entries.splice(i, 1)
  }

  /** Appends to the change feed (see `Store.Backend.record`); returns the last sequence. */
  record(changes: ReadonlyArray<Store.ChangeInput>, append: typeof Store.appendChanges): number {
    this.dirty = true
    if (this.feed === undefined) {
      this.feed = {
        last: this.base.feed.last,
        byKey: new Map(this.base.feed.changes.map((c) => [`${c.entity}\u0000${c.id}`, c] as const))
      }
    }
    return append(this.feed, changes)
  }

  /** The change feed as this transaction sees it. */
  currentFeed(): Feed {
    return this.feed === undefined
      ? this.base.feed
      : { last: this.feed.last, changes: [...this.feed.byKey.values()] }
  }

  /** The book with the changes applied. Call once, at commit: the draft must not change after. */
  state(): BookState {
    return {
      feed: this.currentFeed(),
      book: this.base.book,
      profile: this.profile,
      shelves: {
        partner: this.shelf("partner"),
        referral: this.shelf("referral"),
        interaction: this.shelf("interaction"),
        client: this.shelf("client")
      }
    }
  }

  isEmpty(): boolean {
    return this.profile === null && collectionKinds.every((kind) => this.shelf(kind).ids.length === 0)
  }
}

/** A read-only view with the same accessors as a {@link Draft}. */
export const view = (state: BookState) => ({
  currentFeed: (): Feed => state.feed,
  get: (kind: Kind, id: string): Entry | undefined =>
    kind === "profile"
      ? id === state.book
        ? (state.profile ?? undefined)
        : undefined
      : find(state.shelves[kind], id),
  entries: (kind: CollectionKind): ReadonlyArray<Entry> => state.shelves[kind].entries
})
