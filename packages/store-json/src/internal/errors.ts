/**
 * File-system failures as the store reports them: which platform errors mean "not there",
 * and the typed `StoreError`s (`StoreUnavailable`, `CorruptStore`) that name the file.
 *
 * @internal
 */
import type { PlatformError } from "@effect/platform/Error"
import { StoreError } from "@partnerbook/core"
import type * as Format from "./format.js"

export const isNotFound = (e: PlatformError) => e._tag === "SystemError" && e.reason === "NotFound"

/** The Node error code of a platform error (`EINVAL`, ...), if any. */
export const errno = (e: PlatformError): string | undefined =>
  e._tag === "SystemError" ? (e.cause as NodeJS.ErrnoException | undefined)?.code : undefined

const describe = (e: PlatformError): string =>
  e._tag === "SystemError" ? (e.description ?? `${e.reason} (${e.method})`) : e.message

/** `StoreUnavailable` for a failed file operation: what could not be done, and why. */
export const unavailable = (what: string) => (e: PlatformError) =>
  new StoreError.StoreUnavailable({ reason: `${what}: ${describe(e)}`, cause: e })

/** `CorruptStore` for a file that cannot be read as a book: the file, the place in it, why. */
export const corruptAt = (file: string, failure: Format.ParseFailure): StoreError.CorruptStore =>
  new StoreError.CorruptStore({
    location:
      failure.position !== undefined
        ? `${file}:${failure.position.line}:${failure.position.column}`
        : failure.path === ""
          ? file
          : `${file}#${failure.path}`,
    reason: failure.reason
  })
