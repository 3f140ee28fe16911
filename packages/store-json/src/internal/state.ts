/**
 * A book in memory: its records by id, each with the JSON text it is written as (computed
 * once, then reused by every later write), and the ids in code-unit order. A `BookState` is
 * immutable once published; a transaction changes a {@link Draft} that copies a collection on
 * its first write.
 *
 * @internal
 */
import type { Store, StoreError } from "@partnerbook/core"

/** A record kind. */
export type Kind = StoreError.Entity

/** A collection kind. */
export type CollectionKind = Store.CollectionEntity

/** One stored record and, once computed, its JSON text (see `format.ts`). */
export interface Entry {
  readonly record: Store.Records[Kind]
  text: string | undefined
}

/** One collection: records by id, ids sorted by code units. */
export interface Shelf {
  readonly byId: ReadonlyMap<string, Entry>
  readonly sorted: ReadonlyArray<string>
}

/** A whole book. */
export interface BookState {
  readonly book: string
  readonly profile: Entry | null
  readonly shelves: Readonly<Record<CollectionKind, Shelf>>
}

/** The collection kinds, in document order. */
export const collectionKinds: ReadonlyArray<CollectionKind> = ["partner", "referral", "interaction", "client"]

const emptyShelf: Shelf = { byId: new Map(), sorted: [] }

/** A book without records. */
export const empty = (book: string): BookState => ({
  book,
  profile: null,
  shelves: { partner: emptyShelf, referral: emptyShelf, interaction: emptyShelf, client: emptyShelf }
})

/** Whether the book holds no record. */
export const isEmpty = (state: BookState): boolean =>
  state.profile === null && collectionKinds.every((kind) => state.shelves[kind].byId.size === 0)

/** The index of `id` in `sorted`, or where it would go. */
const search = (sorted: ReadonlyArray<string>, id: string): number => {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

interface MutableShelf {
  readonly byId: Map<string, Entry>
  readonly sorted: Array<string>
}

/** The changes of one transaction to one book, on top of the state it read under the lock. */
export class Draft {
  private profile: Entry | null
  private readonly owned = new Map<CollectionKind, MutableShelf>()
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
      shelf = { byId: new Map(base.byId), sorted: [...base.sorted] }
      this.owned.set(kind, shelf)
    }
    return shelf
  }

  get(kind: Kind, id: string): Entry | undefined {
    if (kind === "profile") return id === this.base.book ? (this.profile ?? undefined) : undefined
    return this.shelf(kind).byId.get(id)
  }

  entries(kind: CollectionKind): Iterable<Entry> {
    return this.shelf(kind).byId.values()
  }

  put(kind: Kind, id: string, entry: Entry): void {
    this.dirty = true
    if (kind === "profile") {
      this.profile = entry
      return
    }
    const shelf = this.own(kind)
    if (!shelf.byId.has(id)) shelf.sorted.splice(search(shelf.sorted, id), 0, id)
    shelf.byId.set(id, entry)
  }

  delete(kind: Kind, id: string): void {
    if (kind === "profile") {
      if (this.profile !== null && id === this.base.book) {
        this.dirty = true
        this.profile = null
      }
      return
    }
    if (!this.shelf(kind).byId.has(id)) return
    this.dirty = true
    const shelf = this.own(kind)
    shelf.byId.delete(id)
    shelf.sorted.splice(search(shelf.sorted, id), 1)
  }

  /** The book with the changes applied. Call once, at commit: the draft must not change after. */
  state(): BookState {
    return {
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
    return this.profile === null && collectionKinds.every((kind) => this.shelf(kind).byId.size === 0)
  }
}

/** A read-only view with the same accessors as a {@link Draft}. */
export const view = (state: BookState) => ({
  get: (kind: Kind, id: string): Entry | undefined =>
    kind === "profile"
      ? id === state.book
        ? (state.profile ?? undefined)
        : undefined
      : state.shelves[kind].byId.get(id),
  entries: (kind: CollectionKind): Iterable<Entry> => state.shelves[kind].byId.values()
})
