import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { type Book, type Referral, Store, StoreError } from "@partnerbook/core"
import { Cause, Effect, Either, Exit, FiberRef, Option, ParseResult, type Scope } from "effect"
import { codeOf, fromSqlError, type Place } from "./errors.js"
import * as Reads from "./reads.js"
import * as Sql from "./sql.js"

/** @internal */
export type Failure = StoreError.CorruptStore | StoreError.StoreUnavailable

/** @internal */
export interface Options {
  readonly schema: string
  readonly place: Place
  /** Rows per `unnest` insert of an import (one array per column). */
  readonly chunk?: number | undefined
}

/** @internal */
export const defaultChunk = 10_000

/** The fields of a received referral that health's follow-through reads (as `Store.received` gives them). */
const projectReceived = (r: Referral.Referral): Store.Received => ({
  id: r.id,
  partnerId: r.partnerId,
  direction: r.direction,
  date: r.date,
  status: r.status,
  ...(r.statusChangedAt === undefined ? {} : { statusChangedAt: r.statusChangedAt }),
  ...(r.thankedAt === undefined ? {} : { thankedAt: r.thankedAt }),
  ...(r.loopClosedAt === undefined ? {} : { loopClosedAt: r.loopClosedAt })
})

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** NaN bounds are ignored, as `Store.matches` does. */
const bound = (date: Date | undefined): number | undefined => {
  const t = date?.getTime()
  return t === undefined || Number.isNaN(t) ? undefined : t
}

/**
 * How the store reaches its client.
 *
 * - `exclusive` (the store's own client, from `layer`): each statement outside a
 *   transaction takes a connection from the pool; a transaction reserves one.
 * - `shared` (a client the caller also uses, from `make`): the same, but a store call made
 *   inside the caller's own `sql.withTransaction` on that client runs in that transaction.
 *
 * @internal
 */
export type Access = "exclusive" | "shared"

/**
 * Writes hold row locks (READ COMMITTED, `SELECT ... FOR UPDATE`), never SERIALIZABLE: a
 * serialization failure would have to be retried by running the caller's whole transaction
 * again, repeating whatever else it does. Inside a transaction every read of one record
 * (`read`, `revision`) locks its row, so a second writer of that record waits for the first
 * to commit and then sees its revision. A record that is absent has no row to lock: its
 * write is an `INSERT ... ON CONFLICT DO UPDATE ... WHERE revision = new revision - 1`, a
 * compare-and-set, so of two transactions creating the same record the second waits on the
 * primary key and then writes nothing, which is a `RevisionConflict`.
 *
 * @internal
 */
export const make = (
  options: Options,
  access: Access
): Effect.Effect<Store.Store, Failure, PgClient.PgClient | Scope.Scope> =>
  Effect.gen(function* () {
    const sql = yield* PgClient.PgClient
    const where = options.place
    const toStoreError = fromSqlError(where)
    const q = Sql.make(options.schema)
    const chunk = options.chunk ?? defaultChunk
    const pendingSql = Reads.pendingSql(options.schema)
    const receivedSql = Reads.receivedSql(options.schema)
    // The connection of the transaction this fiber is in, if any (per store instance).
    const current = FiberRef.unsafeMake<Connection | undefined>(undefined)

    const callerTransaction: Effect.Effect<Connection | undefined> =
      access === "exclusive"
        ? Effect.succeed(undefined)
        : Effect.map(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
            Option.isSome(outer) ? outer.value[0] : undefined
          )

    /** The connection of the transaction we are in, if any. */
    const transactionConnection: Effect.Effect<Connection | undefined> = Effect.flatMap(
      FiberRef.get(current),
      (tx) => (tx !== undefined ? Effect.succeed(tx) : callerTransaction)
    )

    /**
     * The connections of the store's own transactions that ran a statement other than a read
     * (see `begin`): their COMMIT must wait for the WAL flush.
     */
    const wrote = new WeakSet<Connection>()

    /**
     * Runs a statement on the transaction's connection, or on a pooled one outside a
     * transaction. `read`: the statement changes no data (a row lock, `FOR UPDATE`, is not a
     * change of data); every other statement marks the transaction as written.
     */
    const execute = <A extends object>(
      text: string,
      params: ReadonlyArray<unknown>,
      read = false
    ): Effect.Effect<ReadonlyArray<A>, Failure> =>
      Effect.flatMap(transactionConnection, (tx) =>
        Effect.mapError(
          tx !== undefined
            ? Effect.suspend(() => {
                if (!read) wrote.add(tx)
                return tx.execute(text, params, undefined) as Effect.Effect<ReadonlyArray<A>, SqlError>
              })
            : Effect.scoped(
                Effect.flatMap(
                  sql.reserve,
                  (conn) => conn.execute(text, params, undefined) as Effect.Effect<ReadonlyArray<A>, SqlError>
                )
              ),
          toStoreError
        )
      )

    /** A read: the statements of `Reads` only select. */
    const executeStatement = <A extends object>(statement: Reads.Statement) =>
      execute<A>(statement.sql, statement.params, true)

    /**
     * Inside the store's transaction, the caller's statements on a shared client run on the
     * transaction's connection (as in `sql.withTransaction`).
     */
    const joinable = <A, E, R>(effect: Effect.Effect<A, E, R>, conn: Connection): Effect.Effect<A, E, R> =>
      access === "shared"
        ? Effect.provideService(effect, SqlClient.TransactionConnection, [conn, 1] as const)
        : effect

    // --- transactions ----------------------------------------------------------------
    const run = (conn: Connection, text: string) =>
      Effect.mapError(conn.execute(text, [], undefined), toStoreError)

    /**
     * A transaction of the store's own pool that only read (its row locks included) has
     * nothing to make durable, so it commits without waiting for the WAL flush
     * (`synchronous_commit` off for that COMMIT alone, in the same round trip): after a crash
     * such a commit can only be lost together with locks that are gone anyway. Without that,
     * every read of the service (matrix, agenda: their `find` of the profile locks its row)
     * would wait for an fsync. A transaction that wrote anything, and every transaction on a
     * shared client (the caller's own statements may have written), commits durably.
     */
    const commitOf = (conn: Connection): string =>
      access === "exclusive" && !wrote.has(conn) ? "SET LOCAL synchronous_commit TO off; COMMIT" : "COMMIT"

    const begin = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Failure, R> =>
      Effect.scoped(
        Effect.flatMap(Effect.mapError(sql.reserve, toStoreError), (conn) =>
          Effect.uninterruptibleMask((restore) =>
            Effect.gen(function* () {
              yield* run(conn, "BEGIN")
              const exit = yield* Effect.exit(restore(Effect.locally(joinable(effect, conn), current, conn)))
              if (Exit.isSuccess(exit)) {
                const committed = yield* Effect.exit(conn.execute(commitOf(conn), [], undefined))
                if (Exit.isSuccess(committed)) return exit.value
                yield* Effect.ignore(conn.execute("ROLLBACK", [], undefined))
                return yield* Effect.failCause(Cause.map(committed.cause, toStoreError))
              }
              yield* Effect.ignore(conn.execute("ROLLBACK", [], undefined))
              return yield* exit
            })
          )
        )
      )

    const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Failure, R> =>
      Effect.flatMap(transactionConnection, (tx) => (tx !== undefined ? effect : begin(effect)))

    // --- keys and locks ----------------------------------------------------------------
    const keyOf = (kind: StoreError.Entity, book: string, id: string): ReadonlyArray<string> =>
      kind === "profile" ? [book] : [book, id]

    // --- decoding --------------------------------------------------------------------
    const corrupt = (kind: StoreError.Entity, book: string, id: string, reason: string) =>
      new StoreError.CorruptStore({
        location: `${where.location}, table ${options.schema}.${Sql.tables[kind].name}, book ${JSON.stringify(book)}, id ${JSON.stringify(id)}`,
        reason
      })

    const decodeRow = <K extends StoreError.Entity>(
      kind: K,
      book: string,
      id: string,
      data: unknown
    ): Either.Either<Store.Records[K], StoreError.CorruptStore> => {
      if (typeof data !== "string")
        return Either.left(corrupt(kind, book, id, "the stored record is not text"))
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch (e) {
        return Either.left(
          corrupt(
            kind,
            book,
            id,
            `the stored record is not JSON: ${e instanceof Error ? e.message : String(e)}`
          )
        )
      }
      const table = Sql.tables[kind] as unknown as Sql.Table<K>
      const decoded = table.decode(json)
      if (Either.isLeft(decoded)) {
        return Either.left(
          corrupt(
            kind,
            book,
            id,
            `the stored record does not match the ${kind} schema: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`
          )
        )
      }
      const record = decoded.right
      if (record.book !== book || Store.idOf(kind, record) !== id) {
        return Either.left(corrupt(kind, book, id, "the stored record names another book or id than its row"))
      }
      return Either.right(record)
    }

    /** A book, id or partner id PostgreSQL text cannot hold exactly. */
    const unstorable = (
      kind: StoreError.Entity,
      record: Store.Records[StoreError.Entity]
    ): string | undefined => {
      const fields: Array<readonly [string, string | undefined]> = [
        ["book", record.book],
        ["id", kind === "profile" ? undefined : Store.idOf(kind, record)],
        ["partnerId", kind === "profile" || kind === "partner" ? undefined : Store.partnerOf(kind, record)],
        ["externalId", (record as { readonly externalId?: string | undefined }).externalId]
      ]
      for (const [field, value] of fields) {
        if (value !== undefined && !Sql.storable(value)) return field
      }
      return undefined
    }

    const refuse = (kind: StoreError.Entity, field: string) =>
      // The Store's `put` declares InvalidData; a Backend's `write` can only say StoreError.
      Effect.fail(
        new StoreError.InvalidData({
          path: `${kind}.${field}`,
          message: `${kind}.${field}: PostgreSQL text cannot hold a NUL character or a lone UTF-16 surrogate`
        }) as unknown as Failure
      )

    const readRow = <K extends StoreError.Entity>(
      kind: K,
      book: Book.BookId,
      id: string
    ): Effect.Effect<Option.Option<Store.Records[K]>, Failure> => {
      // A key PostgreSQL text cannot hold was never written.
      if (!Sql.storable(book) || !Sql.storable(id)) return Effect.succeed(Option.none())
      const statements = q.statements[kind] as unknown as Sql.Statements<K>
      const key = keyOf(kind, book, id)
      return Effect.flatMap(transactionConnection, (tx) =>
        Effect.flatMap(
          tx === undefined
            ? execute<{ readonly data: unknown }>(statements.read, key, true)
            : execute<{ readonly data: unknown }>(statements.readForUpdate, key, true),
          (rows) => {
            if (rows.length === 0) return Effect.succeed(Option.none())
            const decoded = decodeRow(kind, book, id, rows[0]!.data)
            return Either.isLeft(decoded)
              ? Effect.fail(decoded.left)
              : Effect.succeed(Option.some(decoded.right))
          }
        )
      )
    }

    const writeOne = <K extends StoreError.Entity>(
      kind: K,
      record: Store.Records[K]
    ): Effect.Effect<void, Failure> => {
      const field = unstorable(kind, record)
      if (field !== undefined) return refuse(kind, field)
      const statements = q.statements[kind] as unknown as Sql.Statements<K>
      const id = Store.idOf(kind, record)
      const externalId = (record as { readonly externalId?: string | undefined }).externalId
      // The primary key is the statement's ON CONFLICT target: a unique violation can only be
      // the (book, external_id) index, when another transaction gave that externalId to
      // another record after the Store's check (the transaction is aborted, nothing is written).
      const written = Effect.catchIf(
        execute(statements.write, statements.table.values(record)),
        (error) =>
          externalId !== undefined && error._tag === "StoreUnavailable" && codeOf(error.cause) === "23505",
        () =>
          Effect.fail(
            // The Store's `put` declares InvalidData; a Backend's `write` can only say StoreError.
            new StoreError.InvalidData({
              path: "externalId",
              message: `externalId: ${JSON.stringify(externalId)} already belongs to another ${kind} in book ${JSON.stringify(record.book)}`
            }) as unknown as Failure
          )
      )
      return Effect.flatMap(written, (rows) =>
        rows.length > 0
          ? Effect.void
          : // Another transaction wrote the record since this one read it as absent.
            Effect.flatMap(
              execute<{ readonly revision: number }>(statements.revision, keyOf(kind, record.book, id), true),
              ([row]) =>
                Effect.fail(
                  // The Store's `put` declares RevisionConflict; a Backend's `write` can only say StoreError.
                  new StoreError.RevisionConflict({
                    entity: kind,
                    book: record.book,
                    id,
                    expected: record.revision - 1,
                    actual: row?.revision ?? null
                  }) as unknown as Failure
                )
            )
      )
    }

    const writeMany = <K extends StoreError.Entity>(
      kind: K,
      records: ReadonlyArray<Store.Records[K]>
    ): Effect.Effect<void, Failure> => {
      if (records.length === 0) return Effect.void
      if (records.length === 1) return writeOne(kind, records[0]!)
      const statements = q.statements[kind] as unknown as Sql.Statements<K>
      const width = statements.table.columns.length
      const batches: Array<ReadonlyArray<Array<unknown>>> = []
      for (let start = 0; start < records.length; start += chunk) {
        const end = Math.min(start + chunk, records.length)
        const columns = Array.from({ length: width }, () => new Array<unknown>(end - start))
        for (let i = start; i < end; i++) {
          const record = records[i]!
          const field = unstorable(kind, record)
          if (field !== undefined) return refuse(kind, field)
          const values = statements.table.values(record)
          for (let c = 0; c < width; c++) columns[c]![i - start] = values[c]
        }
        batches.push(columns)
      }
      const insert = (columns: ReadonlyArray<Array<unknown>>) =>
        Effect.catchIf(
          execute(statements.insertMany, columns),
          (error) =>
            error._tag === "StoreUnavailable" &&
            (error.cause as { readonly code?: unknown } | undefined)?.code === "23505",
          () =>
            Effect.fail(
              new StoreError.StoreUnavailable({
                reason: `another connection wrote to book ${JSON.stringify(records[0]!.book)} during the import (table ${statements.table.name}); nothing was imported, retry it (${where.location})`
              })
            )
        )
      return transaction(Effect.forEach(batches, insert, { discard: true }))
    }

    const decodeRows = <K extends StoreError.Entity>(
      kind: K,
      book: string,
      rows: ReadonlyArray<{ readonly id: string; readonly data: unknown }>
    ): Effect.Effect<Array<Store.Records[K]>, Failure> => {
      const out = new Array<Store.Records[K]>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!
        const decoded = decodeRow(kind, book, row.id, row.data)
        if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
        out[i] = decoded.right
      }
      return Effect.succeed(out)
    }

    const byId = (a: { readonly id: string }, b: { readonly id: string }) => compare(a.id, b.id)

    interface ChangeRow {
      readonly sequence: number
      readonly entity: StoreError.Entity
      readonly id: string
      readonly op: "put" | "delete"
      readonly revision: number | null
    }

    /**
     * The book's counter row is taken with `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`:
     * one statement that creates or advances it and row-locks it until the transaction ends,
     * so two writers of one book (any connection, any process) get their sequences one after
     * the other, and a rolled-back writer gives its numbers back with its records.
     */
    const record = (book: Book.BookId, changes: ReadonlyArray<Store.ChangeInput>) =>
      transaction(
        Effect.gen(function* () {
          if (changes.length === 0) {
            const [row] = yield* execute<{ readonly last: number }>(q.changes.last, [book], true)
            return row?.last ?? 0
          }
          const [advanced] = yield* execute<{ readonly last: number }>(q.changes.advance, [
            book,
            changes.length
          ])
          const last = advanced!.last
          const first = last - changes.length + 1
          // A record keeps only its latest change: of several changes to one record in this
          // call, only the last is inserted (one statement cannot update a row twice).
          const latest = new Map<string, number>()
          for (let i = 0; i < changes.length; i++) {
            const c = changes[i]!
            latest.set(`${c.entity}\u0000${c.id}`, i)
          }
          for (let start = 0; start < changes.length; start += chunk) {
            const end = Math.min(start + chunk, changes.length)
            const columns: [
              Array<number>,
              Array<string>,
              Array<string>,
              Array<string>,
              Array<number | null>
            ] = [[], [], [], [], []]
            for (let i = start; i < end; i++) {
              const c = changes[i]!
              if (latest.get(`${c.entity}\u0000${c.id}`) !== i) continue
              columns[0].push(first + i)
              columns[1].push(c.entity)
              columns[2].push(c.id)
              columns[3].push(c.op)
              columns[4].push(c.revision ?? null)
            }
            if (columns[0].length > 0) yield* execute(q.changes.insert, [book, ...columns])
          }
          return last
        })
      )

    const backend: Store.Backend = {
      read: readRow,
      revision: (kind, book, id) => {
        if (!Sql.storable(book) || !Sql.storable(id)) return Effect.succeed(null)
        const statements = q.statements[kind]
        return Effect.flatMap(transactionConnection, (tx) =>
          Effect.flatMap(
            tx === undefined
              ? execute<{ readonly revision: unknown }>(statements.revision, keyOf(kind, book, id), true)
              : execute<{ readonly revision: unknown }>(
                  statements.revisionForUpdate,
                  keyOf(kind, book, id),
                  true
                ),
            (rows): Effect.Effect<number | null, Failure> => {
              if (rows.length === 0) return Effect.succeed(null)
              const revision = rows[0]!.revision
              return typeof revision === "number" && Number.isSafeInteger(revision) && revision >= 0
                ? Effect.succeed(revision)
                : Effect.fail(
                    corrupt(
                      kind,
                      book,
                      id,
                      `the stored revision is not a non-negative integer: ${String(revision)}`
                    )
                  )
            }
          )
        )
      },
      write: writeOne,
      writeMany,
      delete: (kind, book, id) =>
        !Sql.storable(book) || !Sql.storable(id)
          ? Effect.void
          : Effect.asVoid(execute(q.statements[kind].delete, keyOf(kind, book, id))),
      list: <K extends Store.CollectionEntity>(
        kind: K,
        book: Book.BookId,
        query: Store.Query | undefined
      ) => {
        if (!Sql.storable(book)) return Effect.succeed([])
        const params: Array<unknown> = [book]
        let variant = 0
        if (query?.partnerId !== undefined) {
          if (!Sql.storable(query.partnerId)) return Effect.succeed([])
          variant |= 1
          params.push(query.partnerId)
        }
        const after = bound(query?.after)
        if (after !== undefined) {
          variant |= 2
          params.push(after)
        }
        const until = bound(query?.until)
        if (until !== undefined) {
          variant |= 4
          params.push(until)
        }
        return Effect.flatMap(
          execute<{ readonly id: string; readonly data: unknown }>(
            q.statements[kind].list[variant]!,
            params,
            true
          ),
          (rows): Effect.Effect<ReadonlyArray<Store.Records[K]>, Failure> => {
            const out = new Array<Store.Records[K]>(rows.length)
            for (let i = 0; i < rows.length; i++) {
              const row = rows[i]!
              const decoded = decodeRow(kind, book, row.id, row.data)
              if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
              out[i] = decoded.right
            }
            return Effect.succeed(out)
          }
        )
      },
      window: (book, window) => {
        if (!Sql.storable(book)) return Effect.succeed([])
        const after = bound(window.after) ?? Number.MIN_SAFE_INTEGER
        const until = bound(window.until) ?? Number.MAX_SAFE_INTEGER
        return Effect.map(
          execute<Store.WindowRow>(q.window, [book, after, until], true),
          // Sorted by UTF-8 bytes in SQL, by UTF-16 code units here: they differ only for
          // characters past U+FFFF against U+E000..U+FFFF, so this sort is linear in practice.
          (rows) => [...rows].sort((a, b) => compare(a.partnerId, b.partnerId))
        )
      },
      isEmpty: (book) =>
        !Sql.storable(book)
          ? Effect.succeed(true)
          : Effect.flatMap(transactionConnection, (tx) =>
              Effect.map(
                // Inside a transaction (an import), queue behind any other import of the book.
                tx === undefined
                  ? execute<{ readonly found: boolean }>(q.isEmpty, [book], true)
                  : Effect.zipRight(
                      execute(q.lock, [`${options.schema}\u0001import\u0001${book}`], true),
                      execute<{ readonly found: boolean }>(q.isEmpty, [book], true)
                    ),
                (rows) => rows[0]?.found !== true
              )
            ),
      books: () =>
        Effect.map(execute<{ readonly book: Book.BookId }>(q.books, [], true), (rows) =>
          rows.map((row) => row.book).sort(compare)
        ),
      transaction,
      record,
      changes: (book, after, limit) => {
        if (!Sql.storable(book)) return Effect.succeed({ changes: [], last: 0 })
        return Effect.map(
          Effect.all([
            execute<ChangeRow>(q.changes.page, [book, after, limit], true),
            execute<{ readonly last: number }>(q.changes.last, [book], true)
          ]),
          ([rows, last]) => ({
            changes: rows.map((r) =>
              // The key order of a change everywhere: `{ sequence, entity, id, op, revision? }`.
              r.revision === null
                ? { sequence: r.sequence, entity: r.entity, id: r.id, op: r.op }
                : { sequence: r.sequence, entity: r.entity, id: r.id, op: r.op, revision: r.revision }
            ),
            last: last[0]?.last ?? 0
          })
        )
      },
      findByExternalId: <K extends Store.ExternalEntity>(kind: K, book: Book.BookId, externalId: string) => {
        if (!Sql.storable(book) || !Sql.storable(externalId)) return Effect.succeed(Option.none())
        return Effect.flatMap(
          execute<{ readonly id: string; readonly data: unknown }>(
            q.statements[kind].byExternalId,
            [book, externalId],
            true
          ),
          (rows) => Effect.map(decodeRows(kind, book, rows), (records) => Option.fromNullable(records[0]))
        )
      },
      pending: (book, asOf) => {
        if (!Sql.storable(book)) return Effect.succeed([])
        const t = bound(asOf) ?? Number.MAX_SAFE_INTEGER
        return Effect.map(
          Effect.flatMap(
            execute<{ readonly id: string; readonly data: unknown }>(pendingSql, [book, t], true),
            (rows) => decodeRows("referral", book, rows)
          ),
          (records) => records.sort(byId)
        )
      },
      received: (book, query) => {
        if (!(Number.isFinite(query.days) && query.days > 0)) {
          return Effect.die(new RangeError(`days must be a finite number > 0, got ${query.days}`))
        }
        if (!Sql.storable(book)) return Effect.succeed([])
        const t = bound(query.asOf) ?? Number.MAX_SAFE_INTEGER
        return Effect.map(
          Effect.flatMap(
            execute<{ readonly id: string; readonly data: unknown }>(
              receivedSql,
              [book, t, query.days * 86_400_000],
              true
            ),
            (rows) => decodeRows("referral", book, rows)
          ),
          (records) => records.sort(byId).map(projectReceived)
        )
      },
      digest: (book, query) =>
        Effect.suspend(() => {
          const problem = Reads.checkDigestQuery(query)
          if (problem !== undefined) return Effect.die(problem)
          if (!Sql.storable(book)) return Effect.succeed([])
          return Effect.gen(function* () {
            const facts = yield* executeStatement<Reads.FactsRow>(
              Reads.digestFacts(options.schema, book, query)
            )
            const windows = query.windows
            const [referralRows, interactionRows] =
              windows.length === 0
                ? [[], []]
                : yield* Effect.all([
                    executeStatement<Record<string, number | string | null>>(
                      Reads.referralWindows(options.schema, book, windows)
                    ),
                    executeStatement<Record<string, number | string | null>>(
                      Reads.interactionWindows(options.schema, book, windows)
                    )
                  ])
            // The follow-up gaps: the touches since each sharing (or since followUpFrom, if later).
            const since = new Map<string, number>()
            if (query.followUpFrom !== undefined) {
              const from = query.followUpFrom.getTime()
              for (const f of facts) if (f.shared !== null) since.set(f.partnerId, Math.max(f.shared, from))
            }
            const touches = new Map<string, Array<number>>()
            if (since.size > 0) {
              const rows = yield* executeStatement<{ readonly partnerId: string; readonly date: number }>(
                Reads.followUpTouches(options.schema, book, since, query.asOf.getTime())
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
            return Reads.assemble(query, facts, referralRows, interactionRows, touches, since)
          })
        })
    }

    // --- opening: migrate under an advisory lock, once per schema ------------------------
    /** The last migration applied to the schema, `null` when it has no migrations table. */
    const latest = Effect.flatMap(
      execute<{ readonly found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [
        `"${options.schema}".migrations`
      ]),
      ([row]) =>
        row?.found === true
          ? Effect.map(
              execute<{ readonly latest: number }>(
                `SELECT coalesce(max(id), 0) AS latest FROM ${q.migrationsTable}`,
                []
              ),
              ([last]) => last?.latest ?? 0
            )
          : Effect.succeed(null)
    )

    const migrate = transaction(
      Effect.gen(function* () {
        yield* execute(q.lock, [q.migrationLock])
        const [exists] = yield* execute<{ readonly found: boolean }>(
          "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS found",
          [options.schema]
        )
        if (exists?.found !== true) yield* execute(`CREATE SCHEMA "${options.schema}"`, [])
        yield* execute(
          `CREATE TABLE IF NOT EXISTS ${q.migrationsTable} (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
          []
        )
        const [row] = yield* execute<{ readonly latest: number }>(
          `SELECT coalesce(max(id), 0) AS latest FROM ${q.migrationsTable}`,
          []
        )
        const at = row?.latest ?? 0
        for (const migration of q.migrations) {
          if (migration.id <= at) continue
          for (const statement of migration.statements) yield* execute(statement, [])
          yield* execute(`INSERT INTO ${q.migrationsTable} (id, name) VALUES ($1, $2)`, [
            migration.id,
            migration.name
          ])
        }
      })
    )

    const found = yield* latest
    if (found === null || found < Sql.latestMigration) yield* migrate
    const final = found !== null && found >= Sql.latestMigration ? found : yield* latest
    if (final !== null && final > Sql.latestMigration) {
      return yield* new StoreError.StoreUnavailable({
        reason: `schema ${options.schema} of ${where.location} was written by a newer version of @partnerbook/store-postgres (migration ${final}, this version knows up to ${Sql.latestMigration}); upgrade the package`
      })
    }
    if (final === null || final < Sql.latestMigration) {
      return yield* new StoreError.StoreUnavailable({
        reason: `the migrations of schema ${options.schema} (${where.location}) did not complete (migration ${final ?? 0} of ${Sql.latestMigration})`
      })
    }

    return Store.make(backend)
  })
