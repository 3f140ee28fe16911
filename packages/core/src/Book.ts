/**
 * Books and the fields every record shares: the book id, ISO-8601 dates, revisions.
 *
 * @since 0.1.0
 */
import { DateTime, Option, ParseResult, Schema } from "effect"
import { textProblem } from "./internal/hostile.js"

/**
 * The string every id is made of: non-empty, at most 200 characters, no leading or trailing
 * whitespace, well-formed Unicode (no lone surrogates). One refinement rather than four,
 * because ids are decoded for every record.
 *
 * @since 0.1.0
 * @category models
 */
export const IdString = Schema.String.pipe(
  Schema.filter(
    (s) =>
      s.length === 0
        ? "Expected a non-empty id"
        : s.length > 200
          ? `Expected an id of at most 200 characters, got ${s.length}`
          : s.trim() !== s
            ? `Expected an id with no leading or trailing whitespace, got ${JSON.stringify(s)}`
            : (textProblem(s) ?? true),
    {
      identifier: "IdString",
      description:
        "a non-empty id of at most 200 characters, well-formed Unicode, no leading or trailing whitespace"
    }
  )
)

/**
 * The id of a book: one user's network. Every record belongs to exactly one book and no
 * query ever crosses books.
 *
 * @since 0.1.0
 * @category models
 */
export const BookId = IdString.pipe(
  Schema.brand("BookId"),
  Schema.annotations({ identifier: "BookId", description: "The id of a book (one user's network)" })
)
/**
 * @since 0.1.0
 * @category models
 */
export type BookId = typeof BookId.Type

/**
 * The book that the command line and the example scripts use when none is named.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBookId: BookId = BookId.make("default")

const ISO_DATE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/

const isLeapYear = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31

const MIN_TIME = Date.UTC(1900, 0, 1)
const MAX_TIME = Date.UTC(9999, 11, 31)

/**
 * A point in time: a `Date` in memory, an ISO-8601 string (`YYYY-MM-DD` or a full date-time)
 * on the wire. Encoding always writes the full UTC form (`2026-01-31T00:00:00.000Z`).
 * Anything else (`"yesterday"`, `"2026-02-30"`, `"2026-02-30T00:00:00Z"`, a number) fails to
 * decode: a day that does not exist is refused, never rolled over into the next month.
 *
 * @since 0.1.0
 * @category models
 */
export const IsoDate = Schema.transformOrFail(
  Schema.String.annotations({ description: "an ISO-8601 date or date-time" }),
  Schema.DateFromSelf.pipe(
    Schema.filter(
      (d) => {
        const t = d.getTime()
        return t >= MIN_TIME && t <= MAX_TIME
          ? true
          : `Expected a valid date between 1900 and 9999, got ${Number.isNaN(t) ? "an invalid Date" : d.toISOString()}`
      },
      { identifier: "ValidDate" }
    ),
    Schema.annotations({
      arbitrary: () => (fc) =>
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }).map((t) => new Date(t))
    })
  ),
  {
    strict: true,
    decode: (s, _, ast) => {
      const date = new Date(s)
      if (!ISO_DATE.test(s) || Number.isNaN(date.getTime())) {
        return ParseResult.fail(
          new ParseResult.Type(ast, s, `Expected an ISO-8601 date, got ${JSON.stringify(s)}`)
        )
      }
      // Reject days that JavaScript silently rolls over (2026-02-30 -> March 2), with or
      // without a time: the day is checked as written, before any offset applies.
      if (Number(s.slice(8, 10)) > daysInMonth(Number(s.slice(0, 4)), Number(s.slice(5, 7)))) {
        return ParseResult.fail(new ParseResult.Type(ast, s, `No such day: ${JSON.stringify(s)}`))
      }
      return ParseResult.succeed(date)
    },
    encode: (d) => ParseResult.succeed(d.toISOString())
  }
).annotations({ identifier: "IsoDate" })

/**
 * The optimistic-concurrency counter of a stored record. A new record has revision 0; a store
 * accepts a write only when the record's revision equals the stored one and then stores it
 * with revision + 1, so a stale write never silently wins.
 *
 * @since 0.1.0
 * @category models
 */
export const Revision = Schema.Number.pipe(
  Schema.filter((n) =>
    Number.isSafeInteger(n) && n >= 0 ? true : `Expected a non-negative integer revision, got ${n}`
  ),
  Schema.annotations({ identifier: "Revision", arbitrary: () => (fc) => fc.integer({ min: 0, max: 1000 }) })
)

/**
 * Free text of bounded size (notes, descriptions). Up to 200,000 characters.
 *
 * @since 0.1.0
 * @category models
 */
export const Text = Schema.String.pipe(Schema.maxLength(200_000), Schema.annotations({ identifier: "Text" }))

/**
 * A person-facing name: non-empty, no leading or trailing spaces, at most 500 characters.
 *
 * @since 0.1.0
 * @category models
 */
export const Name = Schema.NonEmptyTrimmedString.pipe(
  Schema.maxLength(500),
  Schema.annotations({ identifier: "Name" })
)

/**
 * A money amount: finite and non-negative.
 *
 * @since 0.1.0
 * @category models
 */
export const Amount = Schema.Number.pipe(
  Schema.filter((n) =>
    Number.isFinite(n) && n >= 0 ? true : `Expected a finite, non-negative amount, got ${n}`
  ),
  Schema.annotations({
    identifier: "Amount",
    arbitrary: () => (fc) => fc.integer({ min: 0, max: 10_000_000 })
  })
)

/**
 * A record's id in another system (a CRM's contact or deal id): 1 to 200 characters, unique
 * per book and entity kind. Creating a record whose `externalId` exists returns the existing
 * record when every given field equals it (a retried webhook), else `InvalidCommand`.
 *
 * @since 0.2.0
 * @category models
 */
export const ExternalId = Schema.String.pipe(
  Schema.filter(
    (s) =>
      s.length === 0
        ? "Expected a non-empty externalId"
        : s.length > 200
          ? `Expected an externalId of at most 200 characters, got ${s.length}`
          : true,
    { identifier: "ExternalId", description: "an id in another system, 1 to 200 characters" }
  )
)

/**
 * An IANA time zone name (`"Europe/Paris"`, `"America/New_York"`, `"UTC"`), as `Intl` knows
 * it: date-only inputs of the book mean midnight there and weeks start on Monday 00:00 there.
 *
 * @since 0.2.0
 * @category models
 */
export const TimeZone = Schema.String.pipe(
  Schema.filter(
    (s) =>
      Option.isSome(DateTime.zoneMakeNamed(s))
        ? true
        : `Expected an IANA time zone name, got ${JSON.stringify(s)}`,
    {
      identifier: "TimeZone",
      description: "an IANA time zone name",
      arbitrary: () => (fc) => fc.constantFrom("UTC", "America/New_York", "Europe/Paris", "Asia/Kolkata")
    }
  )
)

/**
 * The time zone of a book without one: `"UTC"`.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultTimeZone = "UTC"
