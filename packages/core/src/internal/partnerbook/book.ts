/**
 * What the use cases read from a book before they change it: its time zone and profile,
 * dates in its zone, new ids, the record a retried create already made.
 */
import { Effect, Option, type Schema } from "effect"
import { type BookId, defaultTimeZone } from "../../Book.js"
import type { InvalidInput } from "../../InvalidInput.js"
import type { PartnerId } from "../../Partner.js"
import type { Profile } from "../../Profile.js"
import type * as Store from "../../Store.js"
import type { StoreError } from "../../StoreError.js"
import { InvalidCommand } from "./commands.js"
import { canonical, check, dateArg, localize, localizeFields, newId, orToday, today } from "./validation.js"

export const profileOf = (store: Store.Store, book: BookId): Effect.Effect<Profile | undefined, StoreError> =>
  Effect.map(store.profile.find(book), Option.getOrUndefined)

export const zoneOf = (store: Store.Store, book: BookId): Effect.Effect<string, StoreError> =>
  Effect.map(profileOf(store, book), (p) => p?.timeZone ?? defaultTimeZone)

/** A date argument of a book: date-only strings mean midnight in the book's zone. */
export const dayArg = (
  store: Store.Store,
  book: BookId,
  date: Date | string | undefined,
  field: string
): Effect.Effect<Date, InvalidInput | StoreError> =>
  date === undefined
    ? today
    : Effect.flatMap(zoneOf(store, book), (zone) => dateArg(localize(zone, date) as string, field))

/**
 * A create's input decoded with its date field read in the book's zone, and that date
 * (today when absent).
 */
export const checkDated = <A extends { readonly [K in F]?: Date | undefined }, I, F extends string>(
  store: Store.Store,
  book: BookId,
  schema: Schema.Schema<A, I>,
  input: unknown,
  field: F
): Effect.Effect<readonly [A, Date], InvalidInput | StoreError> =>
  Effect.gen(function* () {
    const zone = yield* zoneOf(store, book)
    const i = yield* check(schema, localizeFields(zone, input, [field]))
    const date = yield* orToday(i[field])
    return [i, date] as const
  })

export const requirePartner = (store: Store.Store, book: BookId, id: PartnerId) =>
  store.partners.get(book, id)

// A new random id: drawn again only when it is taken (a store error fails the use case, typed).
const freshId = <A>(find: (id: string) => Effect.Effect<Option.Option<A>, StoreError>, prefix: string) =>
  Effect.flatMap(newId, (id) =>
    Effect.flatMap(
      Effect.mapError(find(`${prefix}${id}`), (error) => ({ store: error })),
      (found) => (Option.isSome(found) ? Effect.fail("collision" as const) : Effect.succeed(`${prefix}${id}`))
    )
  ).pipe(
    Effect.retry({ times: 5, while: (e) => e === "collision" }),
    Effect.catchAll((e) =>
      e === "collision"
        ? Effect.dieMessage(`six random ${prefix}ids in a row were taken: the id generator is broken`)
        : Effect.fail(e.store)
    )
  )

/**
 * The id of a new record: the caller's, which must be new (else InvalidCommand naming `id`),
 * or a fresh random one with the entity's prefix.
 */
const newRecordId = <I extends string>(
  given: I | undefined,
  find: (id: I) => Effect.Effect<Option.Option<unknown>, StoreError>,
  make: (id: string) => I,
  options: { readonly command: string; readonly entity: Store.ExternalEntity; readonly prefix: string }
): Effect.Effect<I, InvalidCommand | StoreError> =>
  given === undefined
    ? Effect.map(
        freshId((x) => find(make(x)), options.prefix),
        make
      )
    : Effect.flatMap(find(given), (existing) =>
        Option.isSome(existing)
          ? Effect.fail(
              new InvalidCommand({
                command: options.command,
                message: `id: ${options.entity === "interaction" ? "an" : "a"} ${options.entity} with id ${JSON.stringify(given)} already exists`
              })
            )
          : Effect.succeed(given)
      )

/**
 * The record of `kind` holding `externalId`, when every given field equals it (a retried
 * create); `undefined` when no record holds it; else InvalidCommand naming `externalId`.
 */
const existingFor = <K extends Store.ExternalEntity>(
  store: Store.Store,
  kind: K,
  book: BookId,
  externalId: string | undefined,
  given: Record<string, unknown>,
  command: string
): Effect.Effect<Store.Records[K] | undefined, InvalidCommand | StoreError> =>
  externalId === undefined
    ? Effect.succeed(undefined)
    : Effect.flatMap(store.findByExternalId(kind, book, externalId), (found) => {
        if (Option.isNone(found)) return Effect.succeed(undefined)
        const record = found.value as unknown as Record<string, unknown>
        for (const [key, value] of Object.entries(given)) {
          if (value === undefined || canonical(value) === canonical(record[key])) continue
          return Effect.fail(
            new InvalidCommand({
              command,
              message: `externalId: ${kind} ${JSON.stringify(record.id)} already has externalId ${JSON.stringify(externalId)} and a different ${key}; a retried create must carry the same fields`
            })
          )
        }
        return Effect.succeed(found.value)
      })

/**
 * Creates a record in one transaction: the record a retried create already made (same
 * `externalId`, same fields), else, once `references` (the partners it names) are found, a
 * new one under the caller's id (which must be new) or a fresh random one.
 */
export const create = <K extends Store.ExternalEntity, I extends string, R, E1, E2>(
  store: Store.Store,
  book: BookId,
  input: { readonly id?: I | undefined; readonly externalId?: string | undefined },
  spec: {
    readonly entity: K
    readonly command: string
    readonly prefix: string
    /** What a retried create must carry the same of (default: the input). */
    readonly given?: Record<string, unknown>
    readonly find: (id: I) => Effect.Effect<Option.Option<unknown>, StoreError>
    readonly makeId: (id: string) => I
    readonly references: Effect.Effect<unknown, E1>
    readonly put: (id: I) => Effect.Effect<R, E2>
  }
): Effect.Effect<Store.Records[K] | R, E1 | E2 | InvalidCommand | StoreError> =>
  store.transaction(
    Effect.gen(function* () {
      const existing = yield* existingFor(
        store,
        spec.entity,
        book,
        input.externalId,
        spec.given ?? input,
        spec.command
      )
      if (existing !== undefined) return existing
      yield* spec.references
      const id = yield* newRecordId(input.id, spec.find, spec.makeId, spec)
      return yield* spec.put(id)
    })
  )
