import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { type Book, Store, StoreError } from "@partnerbook/core"
import { Cause, Effect, Either, Exit, FiberRef, Option, ParseResult, type Scope } from "effect"
import { classify, fromSqlError } from "./errors.js"
import * as Reads from "./reads.js"
import { checkVersion } from "./open.js"
import {
  booksSql,
  changes as changesSql,
  isEmptySql,
  latestMigration,
  loader,
  migrationsTable,
  type Table,
  tables,
  windowSql
} from "./tables.js"

/** @internal */
export const defaultBusyTimeoutMs = 5000

/** @internal */
export const defaultCacheSizeMiB = 64

/** @internal */
export interface Options {
  readonly busyTimeoutMs?: number | undefined
  /** The page cache of the connection; left as it is when undefined. */
  readonly cacheSizeMiB?: number | undefined
  /** For tests: the version to require instead of `minimumSqliteVersion`. */
  readonly minimumSqliteVersion?: string | undefined
  /**
   * The client's file is a read-only copy of `location` (a file on read-only media): no
   * migration, no journal mode change, and every write refused with `StoreUnavailable`.
   */
  readonly readOnly?: { readonly location: string } | undefined
}

type Failure = StoreError.CorruptStore | StoreError.StoreUnavailable

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Infinity for an unbounded side: `Store.matches` ignores a NaN bound, so do we. */
const bound = (date: Date | undefined, missing: number): number => {
  const t = date?.getTime()
  return t === undefined || Number.isNaN(t) ? missing : t
}

/**
 * How the store reaches the client's one connection.
 *
 * - `exclusive` (the store's own client, from `layer`): the connection is reserved once for
 *   the store's lifetime and the store's fibers take turns on a semaphore of its own.
 * - `shared` (a client the caller also uses, from `make`): every operation reserves the
 *   connection through the client (queueing behind the caller's statements), and joins the
 *   caller's `sql.withTransaction` on that client instead of waiting for it.
 *
 * @internal
 */
export type Access = "exclusive" | "shared"

/** @internal */
export const make = (
  options: Options,
  access: Access
): Effect.Effect<Store.Store, Failure, SqliteClient.SqliteClient | Scope.Scope> =>
  Effect.gen(function* () {
    const sql = yield* SqliteClient.SqliteClient
    const filename = options.readOnly?.location ?? sql.config.filename
    const readOnly = options.readOnly !== undefined
    const refuseWrite = Effect.fail(
      new StoreError.StoreUnavailable({
        reason: `${filename} is read-only (read-only media, or no permission to write the file or its folder): the store was opened for reading and refuses every write`
      })
    )
    const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyTimeoutMs
    if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
      return yield* Effect.dieMessage(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`)
    }
    const cacheSizeMiB = options.cacheSizeMiB
    if (cacheSizeMiB !== undefined && !(Number.isSafeInteger(cacheSizeMiB) && cacheSizeMiB > 0)) {
      return yield* Effect.dieMessage(`cacheSizeMiB must be a positive integer, got ${cacheSizeMiB}`)
    }
    const toStoreError = fromSqlError(filename, busyTimeoutMs)

    // The client has exactly one connection.
    const connection = yield* Effect.mapError(
      access === "exclusive" ? sql.reserve : Effect.scoped(sql.reserve),
      toStoreError
    )
    const lock = yield* Effect.makeSemaphore(1)
    // The connection of the transaction this fiber is in, if any (per store instance).
    const current = FiberRef.unsafeMake<Connection | undefined>(undefined)

    /** Runs `f` on the connection, with no other fiber's transaction open on it. */
    const exclusively: <A, E, R>(
      f: (conn: Connection) => Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | Failure, R> =
      access === "exclusive"
        ? (f) => lock.withPermits(1)(f(connection))
        : (f) => Effect.scoped(Effect.flatMap(Effect.mapError(sql.reserve, toStoreError), f))

    /** Whether the caller is inside its own `sql.withTransaction` on this very client. */
    const inCallerTransaction: Effect.Effect<boolean> =
      access === "exclusive"
        ? Effect.succeed(false)
        : Effect.map(
            Effect.serviceOption(SqlClient.TransactionConnection),
            (outer) => Option.isSome(outer) && outer.value[0] === connection
          )

    const withConnection = <A>(
      f: (conn: Connection) => Effect.Effect<A, SqlError>
    ): Effect.Effect<A, Failure> => {
      const run = (conn: Connection) => Effect.mapError(f(conn), toStoreError)
      return Effect.flatMap(FiberRef.get(current), (tx) =>
        tx !== undefined
          ? run(tx)
          : access === "exclusive"
            ? exclusively(run)
            : Effect.flatMap(inCallerTransaction, (joined) => (joined ? run(connection) : exclusively(run)))
      )
    }

    /**
     * Inside the store's transaction, the caller's statements on a shared client run on
     * the transaction's connection (as in `sql.withTransaction`). An exclusive client has
     * no other user.
     */
    const joinable = <A, E, R>(effect: Effect.Effect<A, E, R>, conn: Connection): Effect.Effect<A, E, R> =>
      access === "shared"
        ? Effect.provideService(effect, SqlClient.TransactionConnection, [conn, 0] as const)
        : effect

    // better-sqlite3 flattens one array argument into the anonymous parameters: passing the
    // parameters that way spares a spread of up to 32,766 arguments per statement.
    const execute = <A extends object>(
      text: string,
      params: ReadonlyArray<unknown>
    ): Effect.Effect<ReadonlyArray<A>, Failure> =>
      withConnection(
        (conn) => conn.execute(text, [params], undefined) as Effect.Effect<ReadonlyArray<A>, SqlError>
      )

    const executeStatement = <A extends object>(statement: Reads.Statement) =>
      execute<A>(statement.sql, statement.params)

    // --- transactions ----------------------------------------------------------------
    // @effect/sql's withTransaction issues a plain (deferred) BEGIN: a transaction that
    // reads and then writes fails at once with SQLITE_BUSY when another process writes,
    // whatever the busy timeout. Writes here run in BEGIN IMMEDIATE, which takes the write
    // lock up front and waits for it (busy_timeout). Fibers of this process take turns on
    // the connection (see `exclusively`); nested calls join through `current`.
    const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Failure, R> => {
      const immediate = exclusively((conn) =>
        Effect.uninterruptibleMask((restore) =>
          Effect.gen(function* () {
            yield* Effect.mapError(conn.execute("BEGIN IMMEDIATE", [], undefined), toStoreError)
            const exit = yield* Effect.exit(restore(Effect.locally(joinable(effect, conn), current, conn)))
            if (Exit.isSuccess(exit)) {
              const committed = yield* Effect.exit(conn.execute("COMMIT", [], undefined))
              if (Exit.isSuccess(committed)) return exit.value
              yield* Effect.ignore(conn.execute("ROLLBACK", [], undefined))
              return yield* Effect.failCause(Cause.map(committed.cause, (error) => toStoreError(error)))
            }
            yield* Effect.ignore(conn.execute("ROLLBACK", [], undefined))
            return yield* exit
          })
        )
      )
      return Effect.flatMap(FiberRef.get(current), (tx) =>
        tx !== undefined
          ? effect
          : access === "exclusive"
            ? immediate
            : Effect.flatMap(inCallerTransaction, (joined) => (joined ? effect : immediate))
      )
    }

    // --- decoding --------------------------------------------------------------------
    const corrupt = (table: { readonly name: string }, book: string, id: string, reason: string) =>
      new StoreError.CorruptStore({
        location: `${filename} (table ${table.name}, book ${JSON.stringify(book)}, id ${JSON.stringify(id)})`,
        reason
      })

    const decodeRow = <K extends StoreError.Entity>(
      table: Table<K>,
      book: string,
      id: string,
      data: unknown
    ): Either.Either<Store.Records[K], StoreError.CorruptStore> => {
      if (typeof data !== "string") {
        return Either.left(corrupt(table, book, id, "the stored record is not text"))
      }
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch (e) {
        return Either.left(
          corrupt(
            table,
            book,
            id,
            `the stored record is not JSON: ${e instanceof Error ? e.message : String(e)}`
          )
        )
      }
      const decoded = table.decode(json)
      if (Either.isLeft(decoded)) {
        return Either.left(
          corrupt(
            table,
            book,
            id,
            `the stored record does not match the ${table.kind} schema: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`
          )
        )
      }
      return Either.right(decoded.right)
    }

    // --- the primitives --------------------------------------------------------------
    const keyOf = (kind: StoreError.Entity, book: string, id: string): ReadonlyArray<unknown> =>
      kind === "profile" ? [book] : [book, id]

    const writeMany = <K extends StoreError.Entity>(
      kind: K,
      records: ReadonlyArray<Store.Records[K]>
    ): Effect.Effect<void, Failure> => {
      if (records.length === 0) return Effect.void
      if (readOnly) return refuseWrite
      const table = tables[kind] as Table<K>
      if (records.length === 1) {
        const params: Array<unknown> = []
        table.push(records[0]!, params)
        return Effect.asVoid(execute(table.insert(1), params))
      }
      return transaction(
        Effect.suspend(() => {
          const statements: Array<Effect.Effect<unknown, Failure>> = []
          for (let start = 0; start < records.length; start += table.chunk) {
            const end = Math.min(start + table.chunk, records.length)
            statements.push(
              Effect.suspend(() => {
                const params: Array<unknown> = []
                for (let i = start; i < end; i++) table.push(records[i]!, params)
                return execute(table.insert(end - start), params)
              })
            )
          }
          return Effect.all(statements, { discard: true })
        })
      )
    }

    const backend: Store.Backend = {
      read: <K extends StoreError.Entity>(kind: K, book: Book.BookId, id: string) => {
        const table = tables[kind] as Table<K>
        return Effect.flatMap(
          execute<{ readonly data: unknown }>(table.sql.read, keyOf(kind, book, id)),
          (rows): Effect.Effect<Option.Option<Store.Records[K]>, Failure> => {
            if (rows.length === 0) return Effect.succeed(Option.none())
            const decoded = decodeRow(table, book, id, rows[0]!.data)
            return Either.isLeft(decoded)
              ? Effect.fail(decoded.left)
              : Effect.succeed(Option.some(decoded.right))
          }
        )
      },
      revision: (kind, book, id) =>
        Effect.flatMap(
          execute<{ readonly revision: unknown }>(tables[kind].sql.revision, keyOf(kind, book, id)),
          (rows): Effect.Effect<number | null, Failure> => {
            if (rows.length === 0) return Effect.succeed(null)
            const revision = rows[0]!.revision
            return typeof revision === "number" && Number.isSafeInteger(revision) && revision >= 0
              ? Effect.succeed(revision)
              : Effect.fail(
                  corrupt(
                    tables[kind],
                    book,
                    id,
                    `the stored revision is not a non-negative integer: ${String(revision)}`
                  )
                )
          }
        ),
      write: (kind, record) => writeMany(kind, [record]),
      writeMany,
      delete: (kind, book, id) =>
        readOnly ? refuseWrite : Effect.asVoid(execute(tables[kind].sql.delete, keyOf(kind, book, id))),
      list: <K extends Store.CollectionEntity>(
        kind: K,
        book: Book.BookId,
        query: Store.Query | undefined
      ) => {
        const table = tables[kind] as unknown as Table<K>
        const params: Array<unknown> = [book]
        let variant = 0
        if (query?.partnerId !== undefined) {
          variant |= 1
          params.push(query.partnerId)
        }
        const after = bound(query?.after, Number.NEGATIVE_INFINITY)
        if (after !== Number.NEGATIVE_INFINITY) {
          variant |= 2
          params.push(after)
        }
        const until = bound(query?.until, Number.POSITIVE_INFINITY)
        if (until !== Number.POSITIVE_INFINITY) {
          variant |= 4
          params.push(until)
        }
        return Effect.flatMap(
          execute<{ readonly id: string; readonly data: unknown }>(table.sql.list[variant]!, params),
          (rows): Effect.Effect<ReadonlyArray<Store.Records[K]>, Failure> => {
            const out = new Array<Store.Records[K]>(rows.length)
            for (let i = 0; i < rows.length; i++) {
              const row = rows[i]!
              const decoded = decodeRow(table, book, row.id, row.data)
              if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
              out[i] = decoded.right
            }
            return Effect.succeed(out)
          }
        )
      },
      window: (book, window) =>
        Effect.map(
          execute<Store.WindowRow>(windowSql, [
            book,
            bound(window.after, Number.NEGATIVE_INFINITY),
            bound(window.until, Number.POSITIVE_INFINITY)
          ]),
          // SQLite orders text by UTF-8 bytes, JavaScript by UTF-16 code units: sort here
          // (the rows arrive nearly sorted, so this is linear in practice).
          (rows) => [...rows].sort((a, b) => compare(a.partnerId, b.partnerId))
        ),
      digest: (book, query) =>
        Effect.gen(function* () {
          const facts = yield* executeStatement<Reads.FactsRow>(Reads.digestFacts(book, query))
          // The follow-up gaps: the touches since each sharing (or since followUpFrom, if later).
          const since = new Map<string, number>()
          const from = query.followUpFrom?.getTime()
          if (from !== undefined)
            for (const f of facts) if (f.shared !== null) since.set(f.partnerId, Math.max(f.shared, from))
          const touches = new Map<string, Array<number>>()
          if (since.size > 0) {
            const rows = yield* executeStatement<{ readonly partnerId: string; readonly date: number }>(
              Reads.followUpTouches(book, JSON.stringify([...since]), query.asOf.getTime())
            )
            for (const row of rows) {
              let list = touches.get(row.partnerId)
              if (list === undefined) {
                list = []
                touches.set(row.partnerId, list)
              }
              list.push(row.date)
            }
          }
          return Reads.assemble(query, facts, touches, since)
        }),
      pending: (book, asOf) => {
        const t = bound(asOf, Number.POSITIVE_INFINITY)
        const table = tables.referral
        return Effect.flatMap(
          execute<{ readonly id: string; readonly data: unknown }>(Reads.pendingSql, [book, t, book, t, t]),
          (rows): Effect.Effect<ReadonlyArray<Store.Records["referral"]>, Failure> => {
            const out = new Array<Store.Records["referral"]>(rows.length)
            for (let i = 0; i < rows.length; i++) {
              const row = rows[i]!
              const decoded = decodeRow(table, book, row.id, row.data)
              if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
              out[i] = decoded.right
            }
            return Effect.succeed(out.sort((a, b) => compare(a.id, b.id)))
          }
        )
      },
      received: (book, query) =>
        Effect.map(
          execute<{
            readonly id: string
            readonly partnerId: string
            readonly date: number
            readonly status: string
            readonly statusChangedAt: number | null
            readonly thankedAt: number | null
            readonly loopClosedAt: number | null
          }>(Reads.receivedSql, [
            bound(query.asOf, Number.POSITIVE_INFINITY),
            book,
            book,
            query.days * 86_400_000
          ]),
          (rows) =>
            rows
              .map(
                (row): Store.Received => ({
                  id: row.id as Store.Received["id"],
                  partnerId: row.partnerId as Store.Received["partnerId"],
                  direction: "received",
                  date: new Date(row.date),
                  status: row.status as Store.Received["status"],
                  ...(row.statusChangedAt === null ? {} : { statusChangedAt: new Date(row.statusChangedAt) }),
                  ...(row.thankedAt === null ? {} : { thankedAt: new Date(row.thankedAt) }),
                  ...(row.loopClosedAt === null ? {} : { loopClosedAt: new Date(row.loopClosedAt) })
                })
              )
              .sort((a, b) => compare(a.id, b.id))
        ),
      isEmpty: (book) =>
        Effect.map(
          execute<{ readonly found: number }>(isEmptySql, [book, book, book, book, book]),
          (rows) => rows[0]?.found !== 1
        ),
      books: () =>
        Effect.map(execute<{ readonly book: Book.BookId }>(booksSql, []), (rows) =>
          rows.map((row) => row.book).sort(compare)
        ),
      transaction,
      findByExternalId: <K extends Store.ExternalEntity>(kind: K, book: Book.BookId, externalId: string) => {
        const table = tables[kind] as unknown as Table<K>
        return Effect.flatMap(
          execute<{ readonly id: string; readonly data: unknown }>(table.sql.byExternalId, [
            book,
            externalId
          ]),
          (rows): Effect.Effect<Option.Option<Store.Records[K]>, Failure> => {
            if (rows.length === 0) return Effect.succeed(Option.none())
            const decoded = decodeRow(table, book, `externalId ${externalId}`, rows[0]!.data)
            return Either.isLeft(decoded)
              ? Effect.fail(decoded.left)
              : Effect.succeed(Option.some(decoded.right))
          }
        )
      },
      record: (book, changes) =>
        transaction(
          Effect.gen(function* () {
            const rows = yield* execute<{ readonly last: number }>(changesSql.last, [book])
            let sequence = rows[0]?.last ?? 0
            for (let start = 0; start < changes.length; start += changesSql.chunk) {
              const end = Math.min(start + changesSql.chunk, changes.length)
              const params: Array<unknown> = []
              for (let i = start; i < end; i++) {
                const c = changes[i]!
                params.push(book, ++sequence, c.entity, c.id, c.op, c.revision ?? null)
              }
              yield* execute(changesSql.insert(end - start), params)
            }
            return sequence
          })
        ),
      changes: (book, after, limit) =>
        Effect.map(
          Effect.all([
            execute<{
              readonly sequence: number
              readonly entity: StoreError.Entity
              readonly id: string
              readonly op: "put" | "delete"
              readonly revision: number | null
            }>(changesSql.page, [book, after, limit]),
            execute<{ readonly last: number }>(changesSql.last, [book])
          ]),
          ([rows, last]) => ({
            changes: rows.map((r) =>
              r.revision === null
                ? { sequence: r.sequence, entity: r.entity, id: r.id, op: r.op }
                : { sequence: r.sequence, entity: r.entity, id: r.id, op: r.op, revision: r.revision }
            ),
            last: last[0]?.last ?? 0
          })
        )
    }

    // --- opening -----------------------------------------------------------------------
    const [{ version }] = (yield* execute<{ readonly version: string }>(
      "SELECT sqlite_version() AS version",
      []
    )) as unknown as [{ readonly version: string }]
    yield* checkVersion(version, options.minimumSqliteVersion)
    // PRAGMA takes no bound parameters; the values here are checked integers.
    yield* execute(`PRAGMA busy_timeout = ${busyTimeoutMs}`, [])
    if (cacheSizeMiB !== undefined) yield* execute(`PRAGMA cache_size = ${-cacheSizeMiB * 1024}`, [])
    yield* execute("PRAGMA foreign_keys = ON", [])
    if (readOnly) {
      // Nothing may be written: the schema must already be this version's.
      const found = yield* execute<{ readonly found: number }>(
        "SELECT count(*) AS found FROM sqlite_schema WHERE type = 'table' AND name = ?",
        [migrationsTable]
      )
      const rows =
        found[0]?.found === 1
          ? yield* execute<{ readonly latest: number | null }>(
              `SELECT max(migration_id) AS latest FROM ${migrationsTable}`,
              []
            )
          : []
      const latest = rows[0]?.latest ?? 0
      if (latest !== latestMigration) {
        return yield* new StoreError.StoreUnavailable({
          reason: `${filename} is read-only and ${latest === 0 ? "holds no Partnerbook store" : `has schema ${latest}, this version reads ${latestMigration}`}; open it once on writable storage`
        })
      }
      return Store.make(backend)
    }
    yield* execute("PRAGMA synchronous = FULL", [])
    yield* execute("PRAGMA journal_mode = WAL", [])

    const migrate = Migrator.make({})({ loader, table: migrationsTable }).pipe(
      Effect.provideService(SqlClient.SqlClient, sql),
      Effect.catchAllDefect((defect) => Effect.fail(defect)),
      Effect.mapError((error): Failure => {
        const e = error as { readonly _tag?: unknown; readonly cause?: unknown; readonly message?: unknown }
        if (e._tag === "SqlError") return toStoreError(error as SqlError)
        if (e._tag === "MigrationError" && (e.cause as { readonly _tag?: unknown })?._tag === "SqlError") {
          return toStoreError(e.cause as SqlError)
        }
        return classify(error, filename, busyTimeoutMs)
      })
    )
    yield* transaction(
      Effect.gen(function* () {
        // The Migrator's statements (and its own nested transaction) run on our connection.
        yield* Effect.provideService(migrate, SqlClient.TransactionConnection, [connection, 0] as const)
        const rows = yield* execute<{ readonly latest: number | null }>(
          `SELECT max(migration_id) AS latest FROM ${migrationsTable}`,
          []
        )
        const latest = rows[0]?.latest ?? 0
        if (latest > latestMigration) {
          return yield* new StoreError.StoreUnavailable({
            reason: `${filename} was written by a newer version of @partnerbook/store-sqlite (schema ${latest}, this version knows up to ${latestMigration}); upgrade the package`
          })
        }
        if (latest < latestMigration) {
          return yield* new StoreError.StoreUnavailable({
            reason: `the migrations of ${filename} did not complete (schema ${latest} of ${latestMigration})`
          })
        }
      })
    )

    return Store.make(backend)
  })
