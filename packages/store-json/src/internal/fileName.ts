/**
 * Book ids to file names and back.
 *
 * A book id is arbitrary text (`../x`, `/etc/passwd`, `a\0b`, `CON`, `Alice` and `alice`), so
 * it never reaches the file system as is. Every UTF-16 code unit outside `[a-z0-9_-]` is
 * escaped: `%XX` (two upper-case hex digits) below U+0100, `%uXXXX` above. The result uses
 * only `[a-z0-9_%A-Fu-]`, never contains a path separator or a dot, and is unique even on a
 * case-insensitive file system (letters of the id are always lower case in the name; upper
 * case appears only as hex digits right after `%`). Windows device names (`con`, `nul`,
 * `com1`...) get their first character escaped. Ids whose escaped form is too long for a
 * file name are stored under `~` + the SHA-256 of the id; the id itself is in the document.
 *
 * @internal
 */
import { createHash } from "node:crypto"

/** The extension of a book file. */
export const extension = ".json"

/** Escaped stems longer than this are replaced by a hash (file names are limited to 255 bytes). */
const maxStem = 180

const reserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$/

const isSafe = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, "0")

const escapeUnit = (c: number): string => (c < 0x100 ? `%${hex(c, 2)}` : `%u${hex(c, 4)}`)

/** The file stem (name without `.json`) of a book. */
export const stemOf = (book: string): string => {
  let out = ""
  for (let i = 0; i < book.length; i++) {
    const c = book.charCodeAt(i)
    out += isSafe(c) ? book[i] : escapeUnit(c)
  }
  if (reserved.test(out)) out = escapeUnit(out.charCodeAt(0)) + out.slice(1)
  if (out.length === 0 || out.length > maxStem)
    out = `~${createHash("sha256").update(book, "utf16le").digest("hex")}`
  return out
}

/** Whether a stem is a hash (the book id must be read from the document). */
export const isHashed = (stem: string): boolean => stem.startsWith("~")

const HEX = /^[0-9A-F]+$/

/**
 * The book id of an escaped stem, or `undefined` when the stem is not one this store
 * writes (not canonical: `Alice`, `%41`, `%u0041`, `con`...). Hashed stems return `undefined`
 * too: their id is in the file.
 */
export const bookOfStem = (stem: string): string | undefined => {
  let out = ""
  let i = 0
  while (i < stem.length) {
    const c = stem.charCodeAt(i)
    if (isSafe(c)) {
      out += stem[i]
      i++
    } else if (c === 0x25 /* % */) {
      const wide = stem[i + 1] === "u"
      const digits = wide ? stem.slice(i + 2, i + 6) : stem.slice(i + 1, i + 3)
      if (digits.length !== (wide ? 4 : 2) || !HEX.test(digits)) return undefined
      out += String.fromCharCode(Number.parseInt(digits, 16))
      i += wide ? 6 : 3
    } else {
      return undefined
    }
  }
  return out.length > 0 && stemOf(out) === stem ? out : undefined
}

/** The file name of a book. */
export const fileNameOf = (book: string): string => `${stemOf(book)}${extension}`

/** The lock file of a book file (`name.json.lock`). */
export const lockNameOf = (fileName: string): string => `${fileName}.lock`

/**
 * The unique temp file a writer uses for a new version of a book file: hidden, in the same
 * folder, named after the file, the writer's pid and 64 random bits.
 */
export const tempNameOf = (fileName: string, pid: number, random: string): string =>
  `.${fileName}.${pid}.${random}.tmp`

/**
 * The temp file a process writes its lock's content to before linking it to the lock's name
 * (`.name.json.lock.<pid>.<random>.tmp`).
 */
export const lockTempNameOf = (lockName: string, pid: number, random: string): string =>
  `.${lockName}.${pid}.${random}.tmp`

const LOCK_TEMP = /^\.(.+\.json)\.lock\.(\d+)\.([0-9a-f]{16})\.tmp$/

/** The book file and pid of a lock's temp file name, if it is one of ours. */
export const parseLockTempName = (
  name: string
): { readonly fileName: string; readonly pid: number } | undefined => {
  const m = LOCK_TEMP.exec(name)
  return m === null ? undefined : { fileName: m[1]!, pid: Number(m[2]) }
}

const TEMP = /^\.(.+\.json)\.(\d+)\.([0-9a-f]{16})\.tmp$/

/** The book file and writer pid of a temp file name, if it is one of ours. */
export const parseTempName = (
  name: string
): { readonly fileName: string; readonly pid: number } | undefined => {
  const m = TEMP.exec(name)
  return m === null ? undefined : { fileName: m[1]!, pid: Number(m[2]) }
}

/** The stem of a book file name (`x.json`), if it is one: not hidden, ends in `.json`. */
export const stemOfFileName = (name: string): string | undefined =>
  name.endsWith(extension) && !name.startsWith(".") && name.length > extension.length
    ? name.slice(0, -extension.length)
    : undefined
