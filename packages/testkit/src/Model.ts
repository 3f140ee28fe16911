/**
 * The model-based test of a store: fast-check commands run against the store and against a
 * deliberately simple model (nested Maps of revisions and encoded records), which must agree.
 *
 * @since 0.1.0
 */
import { type Book, Partner, Partnerbook, Referral, type Store } from "@partnerbook/core"
import { Effect, Either, FastCheck as fc, Option, Schema } from "effect"
import * as Arbitraries from "./Arbitraries.js"

type Kind = "partner" | "referral"

interface Entry {
  readonly revision: number
  readonly encoded: unknown
  readonly record: Partner.Partner | Referral.Referral
}

/**
 * The model: book -> kind -> id -> the stored revision and record.
 *
 * @since 0.1.0
 * @category models
 */
export interface Model {
  readonly books: Map<string, Map<Kind, Map<string, Entry>>>
  /** Per book: the highest sequence, and the latest change of each record in sequence order. */
  readonly feeds: Map<string, { last: number; readonly byKey: Map<string, Store.Change> }>
}

/**
 * The system under test, with a runner that returns every outcome as an Either.
 *
 * @since 0.1.0
 * @category models
 */
export interface Real {
  readonly store: Store.Store
  readonly run: <A, E>(effect: Effect.Effect<A, E>) => Promise<Either.Either<A, E>>
}

/**
 * An empty model.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty = (): Model => ({ books: new Map(), feeds: new Map() })

/** Appends changes to the model's feed of a book (the latest change of each record is kept). */
const appendTo = (model: Model, book: string, changes: ReadonlyArray<Store.ChangeInput>): void => {
  let feed = model.feeds.get(book)
  if (feed === undefined) {
    feed = { last: 0, byKey: new Map() }
    model.feeds.set(book, feed)
  }
  for (const change of changes) {
    const key = `${change.entity}\u0000${change.id}`
    feed.last++
    feed.byKey.delete(key)
    feed.byKey.set(key, { sequence: feed.last, ...change })
  }
}

const byId = <A extends { readonly id: string }>(xs: Iterable<A>): Array<A> =>
  [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

const tagOf = (u: unknown): string | undefined => (u as { readonly _tag?: string } | undefined)?._tag

const shelf = (model: Model, book: string, kind: Kind): Map<string, Entry> => {
  let b = model.books.get(book)
  if (b === undefined) {
    b = new Map()
    model.books.set(book, b)
  }
  let s = b.get(kind)
  if (s === undefined) {
    s = new Map()
    b.set(kind, s)
  }
  return s
}

const encodePartner = Schema.encodeSync(Partner.Partner)
const encodeReferral = Schema.encodeSync(Referral.Referral)
const encode = (kind: Kind, record: Partner.Partner | Referral.Referral): unknown =>
  kind === "partner" ? encodePartner(record as Partner.Partner) : encodeReferral(record as Referral.Referral)

type RevisionChoice = "current" | "stale" | "ahead"

const chooseRevision = (stored: number, choice: RevisionChoice): number =>
  choice === "current"
    ? stored
    : choice === "stale"
      ? Math.max(0, stored - 1) === stored
        ? stored + 2
        : stored - 1
      : stored + 1

const expectEqual = (what: string, actual: unknown, expected: unknown): void => {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  if (a !== e) throw new Error(`${what}: store says ${a}, model says ${e}`)
}

class Put implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: Kind,
    readonly record: Partner.Partner | Referral.Referral,
    readonly choice: RevisionChoice,
    readonly externalId: string | undefined
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const s = shelf(model, this.record.book, this.kind)
    const stored = s.get(this.record.id)?.revision ?? 0
    const revision = chooseRevision(stored, this.choice)
    const { externalId: _, ...rest } = this.record
    const fields = this.externalId === undefined ? rest : { ...rest, externalId: this.externalId }
    const record =
      this.kind === "partner"
        ? new Partner.Partner({ ...(fields as Partner.Partner), revision })
        : new Referral.Referral({ ...(fields as Referral.Referral), revision })
    const taken =
      this.externalId !== undefined &&
      [...s.values()].some((e) => e.record.id !== this.record.id && e.record.externalId === this.externalId)
    const result = await real.run<Partner.Partner | Referral.Referral, unknown>(
      this.kind === "partner"
        ? real.store.partners.put(record as Partner.Partner)
        : real.store.referrals.put(record as Referral.Referral)
    )
    if (revision === stored && taken) {
      if (Either.isRight(result))
        throw new Error(`${this}: a second record took externalId ${this.externalId}`)
      expectEqual(`${this} error`, tagOf(result.left), "InvalidData")
    } else if (revision === stored) {
      if (Either.isLeft(result))
        throw new Error(`${this}: expected success, got ${JSON.stringify(result.left)}`)
      expectEqual(`${this} revision`, result.right.revision, stored + 1)
      const kept =
        this.kind === "partner"
          ? new Partner.Partner({ ...(record as Partner.Partner), revision: stored + 1 })
          : new Referral.Referral({ ...(record as Referral.Referral), revision: stored + 1 })
      s.set(this.record.id, { revision: stored + 1, record: kept, encoded: encode(this.kind, kept) })
      appendTo(model, this.record.book, [
        { entity: this.kind, id: this.record.id, op: "put", revision: stored + 1 }
      ])
    } else {
      if (Either.isRight(result))
        throw new Error(`${this}: expected a revision conflict, the write succeeded`)
      expectEqual(`${this} error`, (result.left as { _tag: string })._tag, "RevisionConflict")
    }
  }
  toString(): string {
    return `put(${this.kind}, ${JSON.stringify(this.record.book)}, ${JSON.stringify(this.record.id)}, ${this.choice}, externalId=${JSON.stringify(this.externalId)})`
  }
}

class Remove implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: Kind,
    readonly book: Book.BookId,
    readonly id: string,
    readonly choice: RevisionChoice | "none"
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const s = shelf(model, this.book, this.kind)
    const entry = s.get(this.id)
    const revision = this.choice === "none" ? undefined : chooseRevision(entry?.revision ?? 0, this.choice)
    const result = await real.run(
      this.kind === "partner"
        ? real.store.partners.remove(this.book, Partner.PartnerId.make(this.id), revision)
        : real.store.referrals.remove(this.book, Referral.ReferralId.make(this.id), revision)
    )
    if (entry === undefined) {
      if (Either.isRight(result)) throw new Error(`${this}: removed an absent record`)
      expectEqual(`${this} error`, (result.left as { _tag: string })._tag, "NotFound")
    } else if (revision === undefined || revision === entry.revision) {
      if (Either.isLeft(result))
        throw new Error(`${this}: expected success, got ${JSON.stringify(result.left)}`)
      s.delete(this.id)
      appendTo(model, this.book, [{ entity: this.kind, id: this.id, op: "delete" }])
    } else {
      if (Either.isRight(result))
        throw new Error(`${this}: expected a revision conflict, the remove succeeded`)
      expectEqual(`${this} error`, (result.left as { _tag: string })._tag, "RevisionConflict")
    }
  }
  toString(): string {
    return `remove(${this.kind}, ${JSON.stringify(this.book)}, ${JSON.stringify(this.id)}, ${this.choice})`
  }
}

class Get implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: Kind,
    readonly book: Book.BookId,
    readonly id: string
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const entry = shelf(model, this.book, this.kind).get(this.id)
    const result = await real.run<Option.Option<Partner.Partner | Referral.Referral>, unknown>(
      this.kind === "partner"
        ? real.store.partners.find(this.book, Partner.PartnerId.make(this.id))
        : real.store.referrals.find(this.book, Referral.ReferralId.make(this.id))
    )
    if (Either.isLeft(result)) throw new Error(`${this}: failed with ${JSON.stringify(result.left)}`)
    const found = Option.getOrUndefined(result.right)
    expectEqual(
      `${this}`,
      found === undefined ? null : encode(this.kind, found),
      entry === undefined ? null : entry.encoded
    )
  }
  toString(): string {
    return `get(${this.kind}, ${JSON.stringify(this.book)}, ${JSON.stringify(this.id)})`
  }
}

class List implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly book: Book.BookId,
    readonly partner: string | undefined
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const query = this.partner === undefined ? undefined : { partnerId: Partner.PartnerId.make(this.partner) }
    const result = await real.run(real.store.referrals.list(this.book, query))
    if (Either.isLeft(result)) throw new Error(`${this}: failed with ${JSON.stringify(result.left)}`)
    const expected = [...shelf(model, this.book, "referral").values()]
      .filter((e) => this.partner === undefined || (e.record as Referral.Referral).partnerId === this.partner)
      .map((e) => [e.record.id, e.revision] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const actual = result.right
      .map((r) => [r.id, r.revision] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    expectEqual(`${this}`, actual, expected)
  }
  toString(): string {
    return `list(referral, ${JSON.stringify(this.book)}, partner=${JSON.stringify(this.partner)})`
  }
}

class FailingTransaction implements fc.AsyncCommand<Model, Real> {
  constructor(readonly records: ReadonlyArray<Partner.Partner>) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    // Writes valid puts, then fails: none of them may remain (later gets and lists check).
    const puts = this.records.map((p) => {
      const revision = shelf(model, p.book, "partner").get(p.id)?.revision ?? 0
      return real.store.partners.put(
        new Partner.Partner({ ...p, notes: "inside a failed transaction", revision })
      )
    })
    const result = await real.run(
      real.store.transaction(
        Effect.zipRight(Effect.all(puts, { discard: true }), Effect.fail("rolled back" as const))
      )
    )
    if (Either.isRight(result)) throw new Error(`${this}: the failing transaction succeeded`)
  }
  toString(): string {
    return `failingTransaction(${this.records.map((r) => JSON.stringify(r.id)).join(", ")})`
  }
}

class Changes implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly book: Book.BookId,
    readonly after: number,
    readonly limit: number
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const result = await real.run(real.store.changes(this.book, { after: this.after, limit: this.limit }))
    if (Either.isLeft(result)) throw new Error(`${this}: failed with ${JSON.stringify(result.left)}`)
    const feed = model.feeds.get(this.book)
    const expected = [...(feed?.byKey.values() ?? [])]
      .filter((c) => c.sequence > this.after)
      .slice(0, this.limit)
    expectEqual(`${this}`, result.right, { changes: expected, last: feed?.last ?? 0 })
  }
  toString(): string {
    return `changes(${JSON.stringify(this.book)}, after=${this.after}, limit=${this.limit})`
  }
}

class FindByExternalId implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: Kind,
    readonly book: Book.BookId,
    readonly externalId: string
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const result = await real.run<Option.Option<Partner.Partner | Referral.Referral>, unknown>(
      real.store.findByExternalId(this.kind, this.book, this.externalId)
    )
    if (Either.isLeft(result)) throw new Error(`${this}: failed with ${JSON.stringify(result.left)}`)
    const entry = [...shelf(model, this.book, this.kind).values()].find(
      (e) => e.record.externalId === this.externalId
    )
    const found = Option.getOrUndefined(result.right)
    expectEqual(
      `${this}`,
      found === undefined ? null : encode(this.kind, found),
      entry === undefined ? null : entry.encoded
    )
  }
  toString(): string {
    return `findByExternalId(${this.kind}, ${JSON.stringify(this.book)}, ${JSON.stringify(this.externalId)})`
  }
}

/** Merges one partner into another through the service: history moves, the duplicate goes, one transaction. */
class Merge implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly book: Book.BookId,
    readonly keep: string,
    readonly duplicate: string
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const partners = shelf(model, this.book, "partner")
    const referrals = shelf(model, this.book, "referral")
    const service = Partnerbook.make(real.store)
    const result = await real.run(service.mergePartners(this.book, this.keep, this.duplicate))
    const keep = partners.get(this.keep)
    const duplicate = partners.get(this.duplicate)
    if (this.keep === this.duplicate || keep === undefined || duplicate === undefined) {
      if (Either.isRight(result)) throw new Error(`${this}: merged what cannot be merged`)
      expectEqual(
        `${this} error`,
        tagOf(result.left),
        this.keep === this.duplicate ? "InvalidCommand" : "NotFound"
      )
      return
    }
    if (Either.isLeft(result))
      throw new Error(`${this}: expected success, got ${JSON.stringify(result.left)}`)
    const merged = result.right
    const [k, d] = [keep.record as Partner.Partner, duplicate.record as Partner.Partner]
    expectEqual(`${this} revision`, merged.revision, keep.revision + 1)
    expectEqual(`${this} id`, merged.id, this.keep)
    expectEqual(`${this} name`, merged.name, k.name)
    expectEqual(`${this} tags`, [...merged.tags].sort(), [...new Set([...k.tags, ...d.tags])].sort())
    expectEqual(`${this} externalId`, merged.externalId, k.externalId ?? d.externalId)
    expectEqual(`${this} organization`, merged.organization, k.organization ?? d.organization)
    const changes: Array<Store.ChangeInput> = []
    const moving = byId(
      [...referrals.values()]
        .map((e) => e.record as Referral.Referral)
        .filter((r) => r.partnerId === this.duplicate)
    )
    for (const r of moving) {
      const revision = referrals.get(r.id)!.revision + 1
      const moved = new Referral.Referral({ ...r, partnerId: Partner.PartnerId.make(this.keep), revision })
      referrals.set(r.id, { revision, record: moved, encoded: encode("referral", moved) })
      changes.push({ entity: "referral", id: r.id, op: "put", revision })
    }
    partners.delete(this.duplicate)
    changes.push({ entity: "partner", id: this.duplicate, op: "delete" })
    partners.set(this.keep, { revision: merged.revision, record: merged, encoded: encode("partner", merged) })
    changes.push({ entity: "partner", id: this.keep, op: "put", revision: merged.revision })
    appendTo(model, this.book, changes)
  }
  toString(): string {
    return `merge(${JSON.stringify(this.book)}, keep=${JSON.stringify(this.keep)}, duplicate=${JSON.stringify(this.duplicate)})`
  }
}

/** Erases a book: every record goes, each delete lands in the feed, other books stay. */
class Erase implements fc.AsyncCommand<Model, Real> {
  constructor(readonly book: Book.BookId) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const result = await real.run(real.store.erase(this.book))
    if (Either.isLeft(result)) throw new Error(`${this}: failed with ${JSON.stringify(result.left)}`)
    const partners = shelf(model, this.book, "partner")
    const referrals = shelf(model, this.book, "referral")
    expectEqual(
      `${this} counts`,
      [result.right.partners, result.right.referrals],
      [partners.size, referrals.size]
    )
    const changes: Array<Store.ChangeInput> = []
    for (const kind of ["partner", "referral"] as const) {
      const s = shelf(model, this.book, kind)
      for (const id of [...s.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
        changes.push({ entity: kind, id, op: "delete" })
      s.clear()
    }
    appendTo(model, this.book, changes)
  }
  toString(): string {
    return `erase(${JSON.stringify(this.book)})`
  }
}

/**
 * The command arbitraries over the given books, with small id pools so commands collide.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const commands = (
  books: ReadonlyArray<Book.BookId>
): Array<fc.Arbitrary<fc.AsyncCommand<Model, Real>>> => {
  const book = fc.constantFrom(...books)
  const revision = fc.constantFrom<RevisionChoice>("current", "current", "current", "stale", "ahead")
  const id = fc.integer({ min: 0, max: 2 }).map((i) => `id-${i}`)
  const kind = fc.constantFrom<Kind>("partner", "referral")
  const externalId = fc.constantFrom<string | undefined>(undefined, undefined, "x-0", "x-1")
  return [
    fc
      .tuple(book, Arbitraries.partner(books[0]!, 3), revision, externalId)
      .map(([b, p, r, x]) => new Put("partner", new Partner.Partner({ ...p, book: b }), r, x)),
    fc
      .tuple(book, Arbitraries.referral(books[0]!, 3, 3), revision, externalId)
      .map(([b, x, r, e]) => new Put("referral", new Referral.Referral({ ...x, book: b }), r, e)),
    fc
      .tuple(book, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 5 }))
      .map(([b, after, limit]) => new Changes(b, after, limit)),
    fc.tuple(kind, book, fc.constantFrom("x-0", "x-1")).map(([k, b, x]) => new FindByExternalId(k, b, x)),
    fc.tuple(book, id, id).map(([b, k, d]) => new Merge(b, k, d)),
    book.map((b) => new Erase(b)),
    fc
      .tuple(kind, book, id, fc.constantFrom<RevisionChoice | "none">("none", "current", "stale"))
      .map(([k, b, i, r]) => new Remove(k, b, i, r)),
    fc.tuple(kind, book, id).map(([k, b, i]) => new Get(k, b, i)),
    fc.tuple(book, fc.option(id, { nil: undefined })).map(([b, p]) => new List(b, p)),
    fc
      .array(Arbitraries.partner(books[0]!, 3), { minLength: 1, maxLength: 3 })
      .map((ps) => new FailingTransaction(ps))
  ]
}
