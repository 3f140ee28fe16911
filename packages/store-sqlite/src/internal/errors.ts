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
 * What to do when better-sqlite3's compiled module cannot be loaded: never built (pnpm 10
 * skips the build scripts of dependencies it was not told to trust) or built for another
 * Node.js. `undefined` when the message is about something else.
 *
 * @internal
 */
export const nativeModuleProblem = (message: string): string | undefined => {
  if (/Could not locate the bindings file|Cannot find module '.*better_sqlite3\.node'/.test(message)) {
    return (
      "better-sqlite3's native module is not built, so SQLite cannot be opened. pnpm 10 skips the build " +
      "scripts of dependencies unless you allow them: run `pnpm approve-builds` and select better-sqlite3 " +
      "(or add it to `onlyBuiltDependencies` in pnpm-workspace.yaml), then `pnpm rebuild better-sqlite3`. " +
      "With npm or yarn, run `npm rebuild better-sqlite3` and check that its install script is not disabled " +
      `(ignore-scripts). Original error: ${message}`
    )
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return (
      `better-sqlite3's native module was built for another Node.js version than this one (${process.version}): ` +
      "rebuild it with the Node.js you run (`npm rebuild better-sqlite3` or `pnpm rebuild better-sqlite3`). " +
      `Original error: ${message}`
    )
  }
  return undefined
}

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
  const native = nativeModuleProblem(message)
  if (native !== undefined) return new StoreError.StoreUnavailable({ reason: native, cause })
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
