import type { SqlError } from "@effect/sql/SqlError"
import { StoreError } from "@partnerbook/core"

/**
 * The URL with its password (and any `password=` query parameter) replaced by `***`, for
 * messages. A URL that does not parse is replaced as a whole.
 *
 * @internal
 */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    if (u.password !== "") u.password = "***"
    for (const key of [...u.searchParams.keys()]) {
      if (/pass/i.test(key)) u.searchParams.set(key, "***")
    }
    return u.toString()
  } catch {
    return "(a PostgreSQL URL that does not parse)"
  }
}

/** @internal */
export const passwordOf = (url: string): string | undefined => {
  try {
    const u = new URL(url)
    const password = u.password === "" ? undefined : decodeURIComponent(u.password)
    return password ?? u.searchParams.get("password") ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Where a store is, for messages: the redacted URL and the schema. Every message the store
 * writes goes through {@link Place.scrub}, which also removes the password wherever a driver
 * message might have repeated it.
 *
 * @internal
 */
export interface Place {
  readonly location: string
  readonly scrub: (text: string) => string
}

/** @internal */
export const place = (url: string, schema: string): Place => {
  const password = passwordOf(url)
  const raw = password === undefined ? [] : [password, encodeURIComponent(password)]
  const scrub = (text: string): string => {
    let out = text
    for (const p of raw) if (p.length > 0) out = out.split(p).join("***")
    if (out.includes(url)) out = out.split(url).join(redactUrl(url))
    return out
  }
  return { location: `${redactUrl(url)} (schema ${schema})`, scrub }
}

/** @internal */
export const codeOf = (cause: unknown): string | undefined => {
  if (typeof cause === "object" && cause !== null && "code" in cause) {
    const code = (cause as { readonly code: unknown }).code
    if (typeof code === "string") return code
  }
  return undefined
}

const messageOf = (cause: unknown): string =>
  cause instanceof Error
    ? cause.message === "" && "errors" in cause && Array.isArray((cause as { errors: unknown }).errors)
      ? // An AggregateError (every address of a host refused): its first error says why.
        (cause as { errors: Array<unknown> }).errors.map(messageOf).join("; ")
      : cause.message
    : typeof cause === "string"
      ? cause
      : String(cause)

/**
 * Classifies an error of the driver (`pg`'s `DatabaseError`, `code` = SQLSTATE; a socket
 * error, `code` = `ECONNREFUSED`...): a missing or altered table of the store is
 * {@link StoreError.CorruptStore}, everything else (the server down or unreachable, a
 * restart, authentication, too many connections, a deadlock) is
 * {@link StoreError.StoreUnavailable}. The URL's password never appears in the result; the
 * driver's error is not kept as the cause (its fields may repeat connection details), only
 * its code and scrubbed message.
 *
 * @internal
 */
export const classify = (
  cause: unknown,
  where: Place
): StoreError.CorruptStore | StoreError.StoreUnavailable => {
  const code = codeOf(cause)
  const message = where.scrub(messageOf(cause))
  if (code === "42P01" || code === "42703" || code === "42804") {
    return new StoreError.CorruptStore({
      location: where.location,
      reason: `the store's tables are missing or were altered: ${message} (${code})`
    })
  }
  const hint =
    code === "40P01" || code === "40001"
      ? "; the transaction was rolled back, retry it"
      : code === "ECONNREFUSED"
        ? "; is the server running?"
        : ""
  const reason = `${message === "" ? "the connection failed" : message}${code === undefined ? "" : ` (${code})`}${hint} (${where.location})`
  const scrubbed = new Error(reason)
  if (code !== undefined) (scrubbed as Error & { code?: string }).code = code
  return new StoreError.StoreUnavailable({ reason, cause: scrubbed })
}

/** @internal */
export const fromSqlError =
  (where: Place) =>
  (error: SqlError): StoreError.CorruptStore | StoreError.StoreUnavailable =>
    classify(error.cause ?? error, where)
