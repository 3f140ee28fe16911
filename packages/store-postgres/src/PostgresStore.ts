/**
 * A Partnerbook {@link Store.Store} in a PostgreSQL database, on `@effect/sql-pg`. Its
 * tables live in their own PostgreSQL schema (default `partnerbook`), so they can share a
 * CRM's database; all books live in the same tables, the book id leading every key and
 * index. The schema is created and migrated when the store opens, under an advisory lock, so
 * several app instances starting at once migrate it once. Writes run in transactions that
 * lock the records they check (`SELECT ... FOR UPDATE`; new records by a compare-and-set insert), so
 * revision checks hold across connections and processes.
 *
 * @example
 * ```ts
 * import { Store } from "@partnerbook/core"
 * import { PostgresStore } from "@partnerbook/store-postgres"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const store = yield* Store.Store
 *   return yield* store.books()
 * })
 *
 * Effect.runPromise(
 *   program.pipe(Effect.provide(PostgresStore.layer({ url: "postgres://app@127.0.0.1:5432/crm" })))
 * )
 * ```
 *
 * @since 0.2.0
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Store, StoreError } from "@partnerbook/core"
import { Config, type ConfigError, Duration, Effect, Layer, Redacted } from "effect"
import { classify, place, redactUrl } from "./internal/errors.js"
import * as Sql from "./internal/sql.js"
import * as internal from "./internal/store.js"

/**
 * How to open a PostgreSQL store.
 *
 * @since 0.2.0
 * @category models
 */
export interface PostgresStoreConfig {
  /**
   * The server and database, as a `postgres://` or `postgresql://` URL
   * (`postgres://user:password@host:5432/database`). Its password never appears in an error
   * message.
   */
  readonly url: string | Redacted.Redacted<string>
  /**
   * The PostgreSQL schema the store's tables live in, created when absent. A lower-case SQL
   * identifier. Default `partnerbook`.
   */
  readonly schema?: string | undefined
  /** The most connections the store's pool opens. Default 10. */
  readonly maxConnections?: number | undefined
  /**
   * How long opening a connection may take before the call fails with `StoreUnavailable`,
   * in milliseconds. Default 5000.
   */
  readonly connectTimeoutMs?: number | undefined
}

/**
 * Options of {@link make}.
 *
 * @since 0.2.0
 * @category models
 */
export interface MakeOptions {
  /** See {@link PostgresStoreConfig.schema}. Default `partnerbook`. */
  readonly schema?: string | undefined
}

/**
 * The schema of {@link layer} when none is given.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultSchema: string = Sql.defaultSchema

/**
 * The URL with its password replaced by `***`: what the store's messages show.
 *
 * @since 0.2.0
 * @category utils
 */
export const redact: (url: string) => string = redactUrl

const invalid = (field: string, problem: string) =>
  new StoreError.StoreUnavailable({ reason: `invalid configuration: ${field}: ${problem}` })

const checkSchema = (schema: string): Effect.Effect<void, StoreError.StoreUnavailable> => {
  const problem = Sql.schemaProblem(schema)
  return problem === undefined ? Effect.void : Effect.fail(invalid("schema", problem))
}

const urlOf = (client: PgClient.PgClient): string => {
  const config = client.config
  if (config.url !== undefined) return Redacted.value(config.url)
  const user = config.username === undefined ? "" : `${encodeURIComponent(config.username)}@`
  return `postgres://${user}${config.host ?? "localhost"}:${config.port ?? 5432}/${config.database ?? ""}`
}

/**
 * A store on an open {@link PgClient.PgClient} that the caller also uses: migrates the schema
 * (under an advisory lock) and builds the store. Store calls made inside the caller's own
 * `sql.withTransaction` on that client run in that transaction. Prefer {@link layer}, which
 * opens and closes its own pool.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (
  options?: MakeOptions
): Effect.Effect<Store.Store, StoreError.StoreError, PgClient.PgClient> =>
  Effect.gen(function* () {
    const schema = options?.schema ?? Sql.defaultSchema
    yield* checkSchema(schema)
    const client = yield* PgClient.PgClient
    return yield* Effect.scoped(internal.make({ schema, place: place(urlOf(client), schema) }, "shared"))
  })

/**
 * The store in a PostgreSQL database, as a layer with its own connection pool (closed when
 * the layer is released). A server that is down or unreachable, refused credentials or a
 * missing database fail with `StoreUnavailable`, the URL's password redacted; a schema
 * written by a newer version of the package fails with `StoreUnavailable` too. An invalid
 * `schema` fails with `StoreUnavailable` naming the field.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (config: PostgresStoreConfig): Layer.Layer<Store.Store, StoreError.StoreError> =>
  Layer.scoped(
    Store.Store,
    Effect.gen(function* () {
      const schema = config.schema ?? Sql.defaultSchema
      yield* checkSchema(schema)
      const url = Redacted.isRedacted(config.url) ? Redacted.value(config.url) : config.url
      if (!/^postgres(ql)?:\/\//.test(url)) {
        return yield* invalid("url", `expected a postgres:// or postgresql:// URL, got ${redactUrl(url)}`)
      }
      const maxConnections = config.maxConnections ?? 10
      if (!Number.isSafeInteger(maxConnections) || maxConnections < 1) {
        return yield* invalid("maxConnections", `expected a positive integer, got ${maxConnections}`)
      }
      const connectTimeoutMs = config.connectTimeoutMs ?? 5000
      if (!Number.isSafeInteger(connectTimeoutMs) || connectTimeoutMs < 1) {
        return yield* invalid("connectTimeoutMs", `expected a positive integer, got ${connectTimeoutMs}`)
      }
      const where = place(url, schema)
      const client = yield* PgClient.make({
        url: Redacted.make(url),
        maxConnections,
        connectTimeout: Duration.millis(connectTimeoutMs),
        applicationName: "@partnerbook/store-postgres"
      }).pipe(
        Effect.provide(Reactivity.layer),
        Effect.mapError((error) => classify(error.cause ?? error, where)),
        // pg throws synchronously on some malformed URLs.
        Effect.catchAllDefect((defect) => Effect.fail(classify(defect, where)))
      )
      return yield* Effect.provideService(
        internal.make({ schema, place: where }, "exclusive"),
        PgClient.PgClient,
        client
      )
    })
  )

/**
 * {@link layer} with its configuration read from a `Config`.
 *
 * @example
 * ```ts
 * import { PostgresStore } from "@partnerbook/store-postgres"
 * import { Config } from "effect"
 *
 * const StoreLive = PostgresStore.layerConfig({
 *   url: Config.redacted("DATABASE_URL"),
 *   schema: Config.string("PARTNERBOOK_SCHEMA").pipe(Config.withDefault("partnerbook"))
 * })
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<PostgresStoreConfig>
): Layer.Layer<Store.Store, StoreError.StoreError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(Config.unwrap(config), layer))
