import { StoreError } from "@partnerbook/core"
import type { SqlError } from "@effect/sql/SqlError"

/** @internal */
export const codeOf = (cause: unknown): string | undefined => {
  if (typeof cause === "object" && cause !== null && "code" in cause) {
    const code = (cause as { readonly code: unknown }).code
    if (typeof code === "string") return code
  }
  return undefined
}

const messageOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === "string" ? cause : String(cause)

/** @internal */
export const isCorruption = (code: string | undefined, message: string): boolean =>
  code === "SQLITE_NOTADB" ||
  code?.startsWith("SQLITE_CORRUPT") === true ||
  (code === "SQLITE_ERROR" && /no such (table|column)|malformed/.test(message))

/**
 * Classifies an error thrown by SQLite (better-sqlite3's `SqliteError`, `code` =
 * `SQLITE_...`): a damaged file is {@link StoreError.CorruptStore}, everything else (busy,
 * locked, I/O, full disk, permissions) is {@link StoreError.StoreUnavailable}.
 *
 * @internal
 */
export const classify = (
  cause: unknown,
  filename: string,
  busyTimeoutMs: number
): StoreError.CorruptStore | StoreError.StoreUnavailable => {
  const code = codeOf(cause)
  const message = messageOf(cause)
  if (isCorruption(code, message)) {
    return new StoreError.CorruptStore({ location: filename, reason: `${message} (${code})` })
  }
  const busy = code?.startsWith("SQLITE_BUSY") === true || code?.startsWith("SQLITE_LOCKED") === true
  const reason = busy
    ? `${message} (${code}): another connection held the database for longer than the busy timeout of ${busyTimeoutMs} ms (${filename})`
    : `${message}${code === undefined ? "" : ` (${code})`} (${filename})`
  return new StoreError.StoreUnavailable({ reason, cause })
}

/** @internal */
export const fromSqlError =
  (filename: string, busyTimeoutMs: number) =>
  (error: SqlError): StoreError.CorruptStore | StoreError.StoreUnavailable =>
    classify(error.cause ?? error, filename, busyTimeoutMs)
