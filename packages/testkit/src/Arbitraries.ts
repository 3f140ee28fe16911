/**
 * fast-check arbitraries for Partnerbook records, derived from the core Schemas, with small
 * id pools (so that generated commands collide) and awkward strings (`__proto__`, emoji,
 * 100 kB of text) mixed in.
 *
 * @since 0.1.0
 */
import { Book, Client, Interaction, Partner, Profile, Referral } from "@partnerbook/core"
import { Arbitrary, FastCheck as fc } from "effect"

/**
 * Strings that have broken stores before: prototype keys, quotes, emoji, control characters,
 * SQL and path fragments.
 *
 * @since 0.1.0
 * @category constants
 */
export const awkwardStrings: ReadonlyArray<string> = [
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "😀 Ünïcødé 名前 🏳️‍🌈",
  "Robert'); DROP TABLE partners;--",
  '"quoted" \\ back\\slash',
  "../../etc/passwd",
  "tab\tnew\nline\rreturn",
  "\u2028\u2029",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
]

/**
 * A 100 kB text, for notes.
 *
 * @since 0.1.0
 * @category constants
 */
export const largeText: string = "Référence 😀 ".repeat(8_000).slice(0, 100_000)

const awkward = fc.constantFrom(...awkwardStrings)

/**
 * A short id from a small pool (collisions are the point), sometimes an awkward one.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const idFrom = (pool: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: pool - 1 }).map((i) => `id-${i}`) },
    { weight: 1, arbitrary: awkward.map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 200) }
  )

/**
 * Book ids for isolation tests, including ones that look like paths.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const bookId: fc.Arbitrary<Book.BookId> = fc
  .oneof(
    fc.constantFrom("default", "alice", "bob", "__proto__", "../x", "A", "a", "😀"),
    fc.stringMatching(/^[a-z]{1,8}$/)
  )
  .map((s) => Book.BookId.make(s))

const notes = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: awkward },
  {
    weight: 1,
    arbitrary: fc.constant(largeText)
  }
)

const name = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("Ana Ruiz", "Ben Okafor", "Chen Li", "Dana Smith") },
  { weight: 1, arbitrary: awkward.map((s) => s.trim()).filter((s) => s.length > 0) }
)

/**
 * Partners of `book` with ids from a pool of `pool`, at revision 0.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const partner = (book: Book.BookId, pool = 4): fc.Arbitrary<Partner.Partner> =>
  fc.tuple(Arbitrary.make(Partner.Partner), idFrom(pool), name, notes, fc.boolean()).map(
    ([p, id, n, text, x]) =>
      new Partner.Partner({
        ...withExternalId(p, id, x),
        book,
        id: Partner.PartnerId.make(id),
        name: n,
        notes: text,
        revision: 0
      })
  )

/**
 * A record with `externalId` derived from its id (`crm-<id>`, so that records with distinct
 * ids never share one) or without one.
 *
 * @since 0.2.0
 * @category arbitraries
 */
export const withExternalId = <A extends { readonly externalId?: string | undefined }>(
  record: A,
  id: string,
  present: boolean
): A => {
  const { externalId: _, ...rest } = record
  return (present && id.length <= 196 ? { ...rest, externalId: `crm-${id}` } : rest) as A
}

/**
 * Referrals of `book` with ids from a pool and partner ids from another, at revision 0.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const referral = (book: Book.BookId, pool = 4, partners = 3): fc.Arbitrary<Referral.Referral> =>
  fc
    .tuple(
      Arbitrary.make(Referral.Referral),
      idFrom(pool),
      fc.integer({ min: 0, max: partners - 1 }),
      fc.option(notes, { nil: undefined }),
      fc.boolean()
    )
    .map(
      ([r, id, p, text, x]) =>
        new Referral.Referral({
          ...withExternalId(r, id, x),
          book,
          id: Referral.ReferralId.make(id),
          partnerId: Partner.PartnerId.make(`id-${p}`),
          ...(text === undefined ? {} : { notes: text }),
          revision: 0
        })
    )

/**
 * Interactions of `book` with ids from a pool, at revision 0.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const interaction = (
  book: Book.BookId,
  pool = 4,
  partners = 3
): fc.Arbitrary<Interaction.Interaction> =>
  fc
    .tuple(
      Arbitrary.make(Interaction.Interaction),
      idFrom(pool),
      fc.integer({ min: 0, max: partners - 1 }),
      fc.option(notes, { nil: undefined }),
      fc.boolean()
    )
    .map(
      ([x, id, p, text, e]) =>
        new Interaction.Interaction({
          ...withExternalId(x, id, e),
          book,
          id: Interaction.InteractionId.make(id),
          partnerId: Partner.PartnerId.make(`id-${p}`),
          ...(text === undefined ? {} : { notes: text }),
          revision: 0
        })
    )

/**
 * Clients of `book` with ids from a pool, at revision 0.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const client = (book: Book.BookId, pool = 4): fc.Arbitrary<Client.Client> =>
  fc
    .tuple(
      Arbitrary.make(Client.Client),
      idFrom(pool),
      fc.oneof(fc.string({ maxLength: 20 }), awkward),
      fc.boolean()
    )
    .map(
      ([c, id, label, x]) =>
        new Client.Client({
          ...withExternalId(c, id, x),
          book,
          id: Client.ClientId.make(id),
          label,
          revision: 0
        })
    )

/**
 * The profile of `book`, at revision 0.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const profile = (book: Book.BookId): fc.Arbitrary<Profile.Profile> =>
  fc
    .tuple(Arbitrary.make(Profile.Profile), name)
    .map(([p, n]) => new Profile.Profile({ ...p, book, name: n, revision: 0 }))

const DAY_MS = 86_400_000

/**
 * The instant the history of {@link history} is dated around (2026-06-01 UTC).
 *
 * @since 0.2.0
 * @category constants
 */
export const anchor: Date = new Date("2026-06-01T00:00:00.000Z")

/** An instant `min..max` days from the anchor, at any millisecond of the day. */
const near = (min: number, max: number): fc.Arbitrary<Date> =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: DAY_MS - 1 }))
    .map(([d, ms]) => new Date(anchor.getTime() + d * DAY_MS + ms))

/** Often on a whole day (so that records tie), sometimes anywhere. */
const day = (min: number, max: number): fc.Arbitrary<Date> =>
  fc.oneof(
    fc.integer({ min, max }).map((d) => new Date(anchor.getTime() + d * DAY_MS)),
    near(min, max)
  )

const after = (date: Date, present: boolean): fc.Arbitrary<Date | undefined> =>
  present
    ? fc.integer({ min: -5, max: 120 }).map((d) => new Date(date.getTime() + d * DAY_MS))
    : fc.constant(undefined)

/**
 * One book's whole history, dated within about two years before {@link anchor} (and a little
 * after it): a few partners (ids `id-0` to `id-4`), and referrals and interactions that
 * collide on partners and dates, with thank-yous, outcomes and closed loops spread around
 * them. For properties that compare what a store computes with what the rules compute.
 *
 * @since 0.2.0
 * @category arbitraries
 */
export const history = (
  book: Book.BookId
): fc.Arbitrary<{
  readonly profile: Profile.Profile | undefined
  readonly partners: ReadonlyArray<Partner.Partner>
  readonly referrals: ReadonlyArray<Referral.Referral>
  readonly interactions: ReadonlyArray<Interaction.Interaction>
  readonly clients: ReadonlyArray<Client.Client>
}> =>
  fc.record({
    profile: fc.option(profile(book), { nil: undefined }),
    partners: fc
      .uniqueArray(partner(book, 5), { selector: (p) => p.id, maxLength: 5 })
      .chain((ps) =>
        fc
          .tuple(...ps.map(() => day(-900, 0)))
          .map((dates) => ps.map((p, i) => new Partner.Partner({ ...p, createdAt: dates[i]! })))
      ),
    referrals: fc.uniqueArray(referral(book, 60, 6), { selector: (r) => r.id, maxLength: 40 }).chain((rs) =>
      fc.tuple(
        ...rs.map((r) =>
          day(-800, 20).chain((date) =>
            fc
              .tuple(
                after(date, r.statusChangedAt !== undefined),
                after(date, r.thankedAt !== undefined),
                after(date, r.loopClosedAt !== undefined)
              )
              .map(([statusChangedAt, thankedAt, loopClosedAt]) => {
                const { statusChangedAt: _s, thankedAt: _t, loopClosedAt: _l, ...rest } = r
                return new Referral.Referral({
                  ...rest,
                  date,
                  ...(statusChangedAt === undefined ? {} : { statusChangedAt }),
                  ...(thankedAt === undefined ? {} : { thankedAt }),
                  ...(loopClosedAt === undefined ? {} : { loopClosedAt })
                })
              })
          )
        )
      )
    ),
    interactions: fc
      .uniqueArray(interaction(book, 80, 6), { selector: (x) => x.id, maxLength: 50 })
      .chain((xs) =>
        fc
          .tuple(...xs.map(() => day(-800, 20)))
          .map((dates) => xs.map((x, i) => new Interaction.Interaction({ ...x, date: dates[i]! })))
      ),
    clients: fc.uniqueArray(client(book, 20), { selector: (c) => c.id, maxLength: 10 })
  })
