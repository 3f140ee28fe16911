/**
 * The model-based test of a store: fast-check commands run against the store and against a
 * deliberately simple model (nested Maps of revisions and encoded records), which must agree.
 *
 * @since 0.1.0
 */
import { type Book, Partner, Referral, type Store } from "@partnerbook/core"
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
export const empty = (): Model => ({ books: new Map() })

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
    readonly choice: RevisionChoice
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const s = shelf(model, this.record.book, this.kind)
    const stored = s.get(this.record.id)?.revision ?? 0
    const revision = chooseRevision(stored, this.choice)
    const record =
      this.kind === "partner"
        ? new Partner.Partner({ ...(this.record as Partner.Partner), revision })
        : new Referral.Referral({ ...(this.record as Referral.Referral), revision })
    const result = await real.run<Partner.Partner | Referral.Referral, unknown>(
      this.kind === "partner"
        ? real.store.partners.put(record as Partner.Partner)
        : real.store.referrals.put(record as Referral.Referral)
    )
    if (revision === stored) {
      if (Either.isLeft(result))
        throw new Error(`${this}: expected success, got ${JSON.stringify(result.left)}`)
      expectEqual(`${this} revision`, result.right.revision, stored + 1)
      s.set(this.record.id, {
        revision: stored + 1,
        record,
        encoded: encode(this.kind, { ...record, revision: stored + 1 } as never)
      })
    } else {
      if (Either.isRight(result))
        throw new Error(`${this}: expected a revision conflict, the write succeeded`)
      expectEqual(`${this} error`, (result.left as { _tag: string })._tag, "RevisionConflict")
    }
  }
  toString(): string {
    return `put(${this.kind}, ${JSON.stringify(this.record.book)}, ${JSON.stringify(this.record.id)}, ${this.choice})`
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
  return [
    fc
      .tuple(book, Arbitraries.partner(books[0]!, 3), revision)
      .map(([b, p, r]) => new Put("partner", new Partner.Partner({ ...p, book: b }), r)),
    fc
      .tuple(book, Arbitraries.referral(books[0]!, 3, 3), revision)
      .map(([b, x, r]) => new Put("referral", new Referral.Referral({ ...x, book: b }), r)),
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
