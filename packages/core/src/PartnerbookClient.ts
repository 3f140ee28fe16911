/**
 * Partnerbook for code that does not use Effect: open a store, take a book, call every use
 * case with async/await, close. Failures reject with the same tagged errors the Effect API
 * uses — `Error` instances with a `_tag` and a clear message.
 *
 * @example
 * import { PartnerbookClient, Store } from "@partnerbook/core"
 *
 * const client = await PartnerbookClient.open({ store: Store.layerMemory })
 * const book = client.book("alice")
 * const cpa = await book.addPartner({ name: "Dana Smith", profession: "cpa" })
 * await book.receiveReferral({ partnerId: cpa.id, client: "client-17", date: "2026-11-02" })
 * console.log(await book.matrix({ asOf: "2026-11-23" }))
 * await client.close()
 *
 * @since 0.1.0
 */
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option, Runtime } from "effect"
import { defaultBookId } from "./Book.js"
import * as Csv from "./Csv.js"
import type * as Introductions from "./Introductions.js"
import * as Partnerbook from "./Partnerbook.js"
import * as Store from "./Store.js"
import * as StoreError from "./StoreError.js"

/** An `Option` becomes `A | undefined`: plain async/await code should not need Effect's types. */
type Plain<R> = R extends Option.Option<infer A> ? A | undefined : R

type Promised<F> = F extends (book: string, ...args: infer A) => Effect.Effect<infer R, infer _E, infer _C>
  ? (...args: A) => Promise<Plain<R>>
  : never

/** The use cases that are not about one book. */
const bookless = new Set<string>(["planIntroductions"])

type BookMethod = Exclude<keyof Partnerbook.Partnerbook, "planIntroductions">

/**
 * Every use case of {@link Partnerbook.Partnerbook} for one book, as async functions.
 *
 * @since 0.1.0
 * @category models
 */
export type BookClient = {
  readonly [K in BookMethod]: Promised<Partnerbook.Partnerbook[K]>
} & {
  /** The book's id. */
  readonly id: string
}

/**
 * An open store.
 *
 * @since 0.1.0
 * @category models
 */
export interface PartnerbookClient {
  /** The use cases for one book (default `"default"`). Cheap: call it per request. */
  readonly book: (id?: string) => BookClient
  /** The ids of the books that hold records. */
  readonly books: () => Promise<ReadonlyArray<string>>
  /** Plans rounds of one-to-one introductions for a facilitated event (see `Introductions.plan`). */
  readonly planIntroductions: (input: Partnerbook.PlanIntroductions) => Promise<Introductions.Plan>
  /**
   * Imports the rows of a CSV file (partners, referrals or interactions) into a book, all or
   * nothing: see `Csv.importCsv`. Rejects with a `CsvError` naming the line and column.
   *
   * @since 0.2.0
   */
  readonly importCsv: (
    entity: Csv.Entity,
    text: string,
    options?: Csv.ImportOptions & { readonly book?: string }
  ) => Promise<Csv.Summary>
  /** Runs any Effect against the open store and service (an escape hatch for Effect users). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Partnerbook.Partnerbook | Store.Store>) => Promise<A>
  /**
   * Releases the store (closes the database, the files). Every call made afterwards rejects
   * with `StoreUnavailable` ("the Partnerbook client is closed"); open a new client instead.
   */
  readonly close: () => Promise<void>
}

/**
 * Options of {@link open}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Any store layer: `Store.layerMemory` (the default), `SqliteStore.layer(...)`, `JsonStore.layer(...)`. */
  readonly store?: Layer.Layer<Store.Store, unknown>
}

const rejectWith = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

/**
 * Opens a store. Rejects with the store's typed error when it cannot be opened (a corrupt
 * file, an unreachable database).
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = async (options: Options = {}): Promise<PartnerbookClient> => {
  const layer = Partnerbook.layer.pipe(Layer.provideMerge(options.store ?? Store.layerMemory))
  const runtime = ManagedRuntime.make(layer)
  try {
    await runtime.runtime()
  } catch (error) {
    await runtime.dispose()
    throw unwrap(error)
  }
  let closed = false
  const run = async <A, E>(
    effect: Effect.Effect<A, E, Partnerbook.Partnerbook | Store.Store>
  ): Promise<A> => {
    if (closed) throw closedError()
    let exit: Exit.Exit<A, unknown>
    try {
      exit = await runtime.runPromiseExit(effect)
    } catch (error) {
      // A disposed ManagedRuntime rejects with a plain string: never hand that to a caller.
      throw closed ? closedError() : error
    }
    return rejectWith(exit)
  }
  const service = await run(Partnerbook.Partnerbook)
  const book = (id: string = defaultBookId): BookClient => {
    const client: Record<string, unknown> = { id }
    for (const [name, method] of Object.entries(service)) {
      if (bookless.has(name)) continue
      const use = method as (book: string, ...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>
      client[name] = (...args: ReadonlyArray<unknown>) =>
        run(Effect.map(use(id, ...args), (a) => (Option.isOption(a) ? Option.getOrUndefined(a) : a)))
    }
    return client as BookClient
  }
  return {
    book,
    books: () => run(Effect.flatMap(Store.Store, (store) => store.books())),
    planIntroductions: (input) => run(service.planIntroductions(input)),
    importCsv: (entity, text, options = {}) =>
      run(Csv.importCsv(options.book ?? defaultBookId, entity, text, options)),
    run,
    close: () => {
      closed = true
      return runtime.dispose()
    }
  }
}

const closedError = () =>
  new StoreError.StoreUnavailable({
    reason:
      "the Partnerbook client is closed (close() was called); open a new one with PartnerbookClient.open()"
  })

// ManagedRuntime rejects with a FiberFailure wrapping the cause: surface the typed error itself.
const unwrap = (error: unknown): unknown =>
  Runtime.isFiberFailure(error) ? Cause.squash(error[Runtime.FiberFailureCauseId]) : error
