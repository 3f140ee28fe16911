/**
 * Alignment from two client lists without revealing them: each side normalises its clients'
 * identifiers (email, phone, web domain), hashes them with a salt both sides agreed on, and
 * only the hashes are exchanged; the overlap is computed on the hashes.
 *
 * What it protects: the other side never receives your list in plain text, and hashes made
 * with one salt cannot be matched with hashes made with another. What it does not: whoever
 * holds the salt can hash a guessed email or phone number and see whether it is on your list
 * (phone numbers are easy to enumerate). Use a fresh random salt for each exchange, agree on
 * it privately, and exchange hashes only with a partner you would trust with the overlap
 * itself; for stronger guarantees you need a private set intersection protocol.
 *
 * Uses only Web Crypto (`globalThis.crypto.subtle`, in Node 20+ and every browser), so the
 * core has no Node import.
 *
 * @example
 * import { Overlap, Partner } from "@partnerbook/core"
 *
 * declare const partner: Partner.Partner
 * declare const theirs: ReadonlyArray<string> // the hashes your partner sent you
 * const salt = "a random string you agreed on"
 * const mine = await Overlap.hashList(["ana@example.com", "(305) 555-0100", "https://www.acme.com/"], salt)
 * const overlap = Overlap.compare(mine, theirs)
 * // the ratio is a client-base overlap in 0..1: use it as the partner's manual alignment
 * Partner.Partner.make({ ...partner, alignment: overlap.ratio })
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import * as InvalidInput from "./InvalidInput.js"

/**
 * The kind of a client identifier.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "email" | "phone" | "domain"

/**
 * A normalised identifier: `ana@example.com`, `+13055550100` (E.164), `acme.com`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Identifier {
  readonly kind: Kind
  readonly value: string
}

/**
 * How identifiers are normalised. Both sides of an exchange must use the same options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * The country calling code of phone numbers written without one (no `+`, no `00`): default
   * `"1"` (the United States and Canada, where `(305) 555-0100` is `+13055550100`).
   */
  readonly defaultCountryCode?: string
  /**
   * The national trunk prefix dropped from such numbers: default `"1"` when the default
   * country code is `"1"` (`1-305-555-0100`), else `"0"` (`020 7946 0018` in the UK is
   * `+442079460018`). Use `""` where the leading 0 belongs to the number (Italy).
   */
  readonly trunkPrefix?: string
  /**
   * Gmail's canonical form: ignore dots and `+tags` in the local part of `gmail.com` and
   * `googlemail.com` addresses (Gmail delivers `a.na+news@gmail.com` to `ana@gmail.com`).
   * Default `false`: every provider is treated alike and only case and spaces are ignored,
   * because other providers treat dots and `+` as part of the address.
   */
  readonly canonicalGmail?: boolean
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/** A host name in lower case, IDN as punycode, no trailing dot; undefined when not a domain. */
const hostName = (host: string): string | undefined => {
  if (host.length === 0 || /[\s/?#@:\\[\]%]/.test(host)) return undefined
  let name: string
  try {
    name = new URL(`http://${host}`).hostname
  } catch {
    return undefined
  }
  if (name.endsWith(".")) name = name.slice(0, -1)
  if (name.length === 0 || name.length > 253) return undefined
  const labels = name.split(".")
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined
  // a numeric top-level label means an IP address, not a domain
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined
  return name
}

const LOCAL = /^[^\s@<>()[\]\\,;:"]{1,64}$/

const normalizeEmail = (text: string, options: Options | undefined): Identifier | undefined => {
  let address = text.replace(/^mailto:/i, "").trim()
  // `Ana Ruiz <ana@example.com>`
  const display = /<([^<>]*)>\s*$/.exec(address)
  if (display !== null) address = display[1]!.trim()
  address = address.split("?")[0]!
  const at = address.lastIndexOf("@")
  if (at <= 0 || address.indexOf("@") !== at) return undefined
  let local = address.slice(0, at).toLowerCase()
  let domain = hostName(address.slice(at + 1))
  if (domain === undefined || !LOCAL.test(local)) return undefined
  if (options?.canonicalGmail === true && (domain === "gmail.com" || domain === "googlemail.com")) {
    local = local.split("+")[0]!.replaceAll(".", "")
    domain = "gmail.com"
    if (local.length === 0) return undefined
  }
  return { kind: "email", value: `${local}@${domain}` }
}

const PHONE = /^\+?[\d\s\-().]*\d[\d\s\-().]*$/

const normalizePhone = (text: string, options: Options | undefined): Identifier | undefined => {
  const written = text.replace(/^tel:/i, "").trim()
  if (!PHONE.test(written)) return undefined
  let digits = written.replace(/\D/g, "")
  if (written.startsWith("+") || digits.startsWith("00")) {
    // international; `+44 (0) 20 ...` writes the national trunk prefix in brackets
    digits = written.replace(/\(0\)/, "").replace(/\D/g, "")
    if (!written.startsWith("+")) digits = digits.slice(2)
  } else {
    const country = options?.defaultCountryCode ?? "1"
    if (!/^[1-9]\d{0,2}$/.test(country)) {
      throw InvalidInput.make("defaultCountryCode", `expected 1 to 3 digits, got ${JSON.stringify(country)}`)
    }
    const trunk = options?.trunkPrefix ?? (country === "1" ? "1" : "0")
    if (!/^\d{0,3}$/.test(trunk)) {
      throw InvalidInput.make("trunkPrefix", `expected up to 3 digits, got ${JSON.stringify(trunk)}`)
    }
    if (trunk.length > 0 && digits.startsWith(trunk)) digits = digits.slice(trunk.length)
    digits = country + digits
  }
  // E.164: a country code that does not start with 0, at most 15 digits in all
  if (!/^[1-9]\d{6,14}$/.test(digits)) return undefined
  // North America: +1, a 3-digit area code that does not start with 0 or 1, 7 digits
  if (digits.startsWith("1") && !/^1[2-9]\d{9}$/.test(digits)) return undefined
  return { kind: "phone", value: `+${digits}` }
}

const normalizeDomain = (text: string): Identifier | undefined => {
  let rest = text.trim().toLowerCase()
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(rest)
  if (scheme !== null) rest = rest.slice(scheme[0].length)
  // host[:port] up to the path, query or fragment; drop user info
  let host = rest.split(/[/?#]/)[0]!
  host = host.slice(host.lastIndexOf("@") + 1)
  host = host.replace(/:\d*$/, "")
  let name = hostName(host)
  if (name === undefined) return undefined
  if (name.startsWith("www.")) {
    const bare = name.slice(4)
    if (bare.includes(".")) name = bare
  }
  return { kind: "domain", value: name }
}

/**
 * Normalises one client identifier, or returns `undefined` when it is none of an email
 * address, a phone number or a web domain (invalid input is skipped, never guessed at):
 *
 * - email: `mailto:` and a display name (`Ana <ana@example.com>`) dropped, trimmed,
 *   lower-cased, the domain as for web domains. Dots and `+tags` are kept unless
 *   `canonicalGmail` is set (see {@link Options}).
 * - phone: spaces, dashes, parentheses and dots ignored; `+CC...` and `00CC...` are
 *   international; anything else is national and gets `defaultCountryCode` (default `"1"`)
 *   after its trunk prefix is dropped. The result is E.164 (`+13055550100`); a number that
 *   cannot be one (too short, too long, a North American number without 10 digits) is invalid.
 *   Throws {@link InvalidInput.InvalidInput} for a malformed `defaultCountryCode` or `trunkPrefix`.
 * - domain: a domain or URL; the scheme, user info, port, path, query, fragment, trailing
 *   dot and a leading `www.` are dropped, the rest lower-cased (international names as
 *   punycode). IP addresses and single-label names (`localhost`) are invalid.
 *
 * @since 0.1.0
 * @category normalisation
 */
export const normalize = (identifier: string, options?: Options): Identifier | undefined => {
  if (typeof identifier !== "string") return undefined
  const text = identifier.trim()
  if (text.length === 0 || text.length > 2048) return undefined
  if (/^mailto:/i.test(text)) return normalizeEmail(text, options)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return normalizeDomain(text)
  if (text.includes("@")) return normalizeEmail(text, options)
  if (/^tel:/i.test(text) || PHONE.test(text)) return normalizePhone(text, options)
  return normalizeDomain(text)
}

/**
 * A list of identifiers, normalised: the distinct valid ones (in first-seen order) and the
 * positions of the invalid ones.
 *
 * @since 0.1.0
 * @category models
 */
export interface Prepared {
  readonly identifiers: ReadonlyArray<Identifier>
  readonly invalid: ReadonlyArray<{ readonly index: number; readonly input: string }>
}

/**
 * Normalises a list ({@link normalize}) and drops duplicates: what {@link hashList} hashes.
 * Throws {@link InvalidInput.InvalidInput} when an entry is not a string.
 *
 * @since 0.1.0
 * @category normalisation
 */
export const prepare = (identifiers: Iterable<string>, options?: Options): Prepared => {
  if (identifiers === null || typeof identifiers !== "object" || !(Symbol.iterator in identifiers)) {
    throw InvalidInput.make("identifiers", "expected a list of strings")
  }
  const seen = new Set<string>()
  const valid: Array<Identifier> = []
  const invalid: Array<{ index: number; input: string }> = []
  let index = 0
  for (const input of identifiers) {
    if (typeof input !== "string") {
      throw InvalidInput.make(`identifiers[${index}]`, `expected a string, got ${typeof input}`)
    }
    const id = normalize(input, options)
    if (id === undefined) invalid.push({ index, input })
    else if (!seen.has(`${id.kind}:${id.value}`)) {
      seen.add(`${id.kind}:${id.value}`)
      valid.push(id)
    }
    index++
  }
  return { identifiers: valid, invalid }
}

const checkSalt = (salt: string): void => {
  if (typeof salt !== "string" || salt.length === 0) {
    throw InvalidInput.make("salt", "expected a non-empty string agreed with the other side")
  }
}

const subtle = (): SubtleCrypto => {
  const crypto = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto
  if (crypto?.subtle === undefined) {
    throw new Error("Web Crypto is not available (globalThis.crypto.subtle): Node 20 or later is required")
  }
  return crypto.subtle
}

type SubtleCrypto = typeof globalThis.crypto.subtle

const toHex = (buffer: ArrayBuffer): string => {
  const bytes = new Uint8Array(buffer)
  let out = ""
  for (const b of bytes) out += b.toString(16).padStart(2, "0")
  return out
}

/**
 * The hashes of normalised identifiers: for each, HMAC-SHA-256 keyed with the UTF-8 salt over
 * the UTF-8 text `kind:value` (`email:ana@example.com`, `phone:+13055550100`,
 * `domain:acme.com`), as 64 lower-case hex digits. Distinct, sorted (the order says nothing
 * about your list). Anyone can reproduce it, e.g. `printf 'email:ana@example.com' | openssl
 * dgst -sha256 -hmac SALT`.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hashIdentifiers = async (
  identifiers: ReadonlyArray<Identifier>,
  salt: string
): Promise<ReadonlyArray<string>> => {
  checkSalt(salt)
  const crypto = subtle()
  const encoder = new TextEncoder()
  const key = await crypto.importKey("raw", encoder.encode(salt), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign"
  ])
  const texts = [...new Set(identifiers.map((x) => `${x.kind}:${x.value}`))]
  const hashes = await Promise.all(
    texts.map(async (text) => toHex(await crypto.sign("HMAC", key, encoder.encode(text))))
  )
  return [...new Set(hashes)].sort()
}

/**
 * Normalises a client list ({@link prepare}) and hashes it with the shared salt
 * ({@link hashIdentifiers}): the distinct hashes, sorted. Invalid identifiers are skipped (use
 * {@link prepare} to see which). Rejects with {@link InvalidInput.InvalidInput} for an empty
 * salt or a non-string entry.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hashList = async (
  identifiers: Iterable<string>,
  salt: string,
  options?: Options
): Promise<ReadonlyArray<string>> => {
  checkSalt(salt)
  return hashIdentifiers(prepare(identifiers, options).identifiers, salt)
}

/**
 * {@link hashList} as an Effect: fails with {@link InvalidInput.InvalidInput}; a missing Web
 * Crypto is a defect.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hashListEffect = (
  identifiers: Iterable<string>,
  salt: string,
  options?: Options
): Effect.Effect<ReadonlyArray<string>, InvalidInput.InvalidInput> =>
  Effect.try({
    try: () => {
      checkSalt(salt)
      return prepare(identifiers, options).identifiers
    },
    catch: (e) => (e instanceof InvalidInput.InvalidInput ? e : InvalidInput.make("identifiers", String(e)))
  }).pipe(Effect.flatMap((prepared) => Effect.promise(() => hashIdentifiers(prepared, salt))))

/**
 * The overlap of two hashed lists.
 *
 * @since 0.1.0
 * @category models
 */
export interface Comparison {
  /** Hashes on both lists. */
  readonly shared: number
  /** Distinct hashes on your list. */
  readonly mine: number
  /** Distinct hashes on theirs. */
  readonly theirs: number
  /**
   * `shared / min(mine, theirs)` (the overlap coefficient), 0..1; 0 when a list is empty.
   * How much of the smaller client base the other one also serves: a sole practitioner
   * whose every client is also a client of a large firm overlaps fully, which is what
   * alignment means on the Referral Partner Matrix. Use it as the partner's `alignment`.
   */
  readonly ratio: number
  /** `shared / (mine + theirs - shared)` (Jaccard), 0..1; 0 when both are empty. */
  readonly jaccard: number
}

const HEX = /^[0-9a-f]{64}$/

const hashSet = (field: string, hashes: ReadonlyArray<string>): Set<string> => {
  if (!Array.isArray(hashes)) throw InvalidInput.make(field, "expected an array of hashes")
  const out = new Set<string>()
  hashes.forEach((h, i) => {
    const hex = typeof h === "string" ? h.trim().toLowerCase() : ""
    if (!HEX.test(hex)) throw InvalidInput.make(`${field}[${i}]`, "expected a SHA-256 hash: 64 hex digits")
    out.add(hex)
  })
  return out
}

/**
 * Compares your hashes with your partner's (both from {@link hashList} with the same salt and
 * options). Duplicates count once; hex case is ignored. Symmetric: swapping the lists swaps
 * `mine` and `theirs` and changes nothing else. Throws {@link InvalidInput.InvalidInput}
 * (`mine[i]` or `theirs[i]`) for an entry that is not a SHA-256 hex digest.
 *
 * @since 0.1.0
 * @category rules
 */
export const compare = (mine: ReadonlyArray<string>, theirs: ReadonlyArray<string>): Comparison => {
  const a = hashSet("mine", mine)
  const b = hashSet("theirs", theirs)
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let shared = 0
  for (const h of small) if (large.has(h)) shared++
  const union = a.size + b.size - shared
  return {
    shared,
    mine: a.size,
    theirs: b.size,
    ratio: small.size === 0 ? 0 : shared / small.size,
    jaccard: union === 0 ? 0 : shared / union
  }
}
