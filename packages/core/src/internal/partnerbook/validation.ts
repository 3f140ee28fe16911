/**
 * Input checks and small pure helpers the use cases share: decoding with a field path,
 * dates in the book's time zone, expected revisions, ids and record ordering.
 */
import { Clock, DateTime, Effect, Either, Option, type ParseResult, Random, Schema } from "effect"
import { BookId, defaultTimeZone } from "../../Book.js"
import * as InvalidInputModule from "../../InvalidInput.js"
import type * as Store from "../../Store.js"
import { RevisionConflict } from "../../StoreError.js"
import * as Hostile from "../hostile.js"
import * as Humanize from "../humanize.js"
import { midnightIn } from "../time.js"
import { Day } from "./commands.js"

type InvalidInput = InvalidInputModule.InvalidInput

const fieldOf = (prefix: string, path: ReadonlyArray<PropertyKey>): string => {
  const field = [prefix, ...path.map(String)].filter((x) => x !== "").join(".")
  return field === "" ? "input" : field
}

const invalid = (error: ParseResult.ParseError, prefix: string): InvalidInput => {
  const problem = Humanize.problemOf(error)
  return InvalidInputModule.make(fieldOf(prefix, problem.path), problem.message)
}

/** Decodes an input (excess properties are errors); a failure is an InvalidInput naming the field. */
export const check = <A, I>(
  schema: Schema.Schema<A, I>,
  input: unknown,
  prefix = ""
): Effect.Effect<A, InvalidInput> => {
  // Lone surrogates and runaway nesting first: the Schema's messages quote the value.
  const hostile = Hostile.scan(input)
  if (hostile !== undefined) {
    return Effect.fail(InvalidInputModule.make(fieldOf(prefix, hostile.path), hostile.problem))
  }
  return Either.match(Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(input), {
    onLeft: (e) => Effect.fail(invalid(e, prefix)),
    onRight: Effect.succeed
  })
}

/** The book argument, checked, and recorded on the use case's span. */
export const checkBook = (book: unknown): Effect.Effect<BookId, InvalidInput> =>
  Effect.tap(check(BookId, book, "book"), (id) => Effect.annotateCurrentSpan("partnerbook.book", id))

/** Runs a pure rule; its InvalidInput becomes a typed failure, anything else stays a defect. */
export const rule = <A>(f: () => A): Effect.Effect<A, InvalidInput> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(f())
    } catch (e) {
      if (e instanceof InvalidInputModule.InvalidInput) return Effect.fail(e)
      throw e
    }
  })

/** An Either's left as a failure, its right as a success. */
export const fromEither = <A, E>(either: Either.Either<A, E>): Effect.Effect<A, E> =>
  Either.match(either, { onLeft: Effect.fail, onRight: Effect.succeed })

/** Today, as Effect's Clock says: tests control time. */
export const today: Effect.Effect<Date> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

export const dateArg = (date: Date | string | undefined, field: string): Effect.Effect<Date, InvalidInput> =>
  date === undefined ? today : check(Day, date, field)

/** The date of the options of thankReferral and closeLoop (a bare date stays accepted). */
export const dateOfOptions = (
  options: Date | string | { readonly date?: Date | string } | undefined
): Date | string | undefined =>
  options === undefined || typeof options === "string" || options instanceof Date ? options : options.date

export const orToday = (date: Date | undefined): Effect.Effect<Date> =>
  date === undefined ? today : Effect.succeed(date)

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** A date-only string becomes midnight of that day in `zone` (an ISO instant); anything else stays. */
export const localize = (zone: string, value: unknown): unknown => {
  if (zone === defaultTimeZone || typeof value !== "string" || !DATE_ONLY.test(value)) return value
  const utc = new Date(`${value}T00:00:00.000Z`)
  // Not a real day: leave it to the schema, which names the field.
  if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== value) return value
  const named = DateTime.zoneMakeNamed(zone)
  if (Option.isNone(named)) return value
  return new Date(
    midnightIn(named.value, utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate())
  ).toISOString()
}

/** `input` with its date fields localized (see {@link localize}). */
export const localizeFields = (zone: string, input: unknown, fields: ReadonlyArray<string>): unknown => {
  if (zone === defaultTimeZone || typeof input !== "object" || input === null || Array.isArray(input))
    return input
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) }
  for (const field of fields) if (Object.hasOwn(out, field)) out[field] = localize(zone, out[field])
  return out
}

/** A JSON text of a value with object keys sorted, for comparing given fields with a record. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  ) ?? "undefined"

const Revisions = Schema.Int.pipe(Schema.nonNegative())

/** The `expectedRevision` of a change's options, checked. */
export const expectedOf = (options: unknown): Effect.Effect<number | undefined, InvalidInput> => {
  if (typeof options !== "object" || options === null || options instanceof Date)
    return Effect.succeed(undefined)
  const value = (options as { readonly expectedRevision?: unknown }).expectedRevision
  return value === undefined ? Effect.succeed(undefined) : check(Revisions, value, "expectedRevision")
}

/** Fails with RevisionConflict when an expected revision is given and is not the stored one. */
export const expectRevision = (
  entity: Store.ExternalEntity,
  record: { readonly book: string; readonly id: string; readonly revision: number },
  expected: number | undefined
): Effect.Effect<void, RevisionConflict> =>
  expected === undefined || expected === record.revision
    ? Effect.void
    : Effect.fail(
        new RevisionConflict({ entity, book: record.book, id: record.id, expected, actual: record.revision })
      )

/** Eight random base-36 characters (Effect's Random: tests control them). */
export const newId: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: 8 }, () => Random.nextIntBetween(0, 36))),
  (digits) => digits.map((d) => d.toString(36)).join("")
)

/** `A` with every property that may be undefined made optional instead (for `exactOptionalPropertyTypes`). */
export type Defined<A> = { [K in keyof A as undefined extends A[K] ? never : K]: A[K] } & {
  [K in keyof A as undefined extends A[K] ? K : never]?: Exclude<A[K], undefined>
}

export const omitUndefined = <A extends object>(a: A): Defined<A> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Defined<A>

/** Records in id order (code units): cascades and merges write in this order, so their changes are deterministic. */
export const sortById = <A extends { readonly id: string }>(records: ReadonlyArray<A>): ReadonlyArray<A> =>
  [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

export const byDate =
  <A extends { readonly id: string }>(date: (a: A) => Date) =>
  (a: A, b: A) =>
    date(a).getTime() - date(b).getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
