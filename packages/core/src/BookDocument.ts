/**
 * A whole book as one versioned, portable JSON document: what `export` writes and `import`
 * reads, whatever the store (JSON file, SQLite, PostgreSQL, memory).
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import { BookId } from "./Book.js"
import { Client } from "./Client.js"
import { Interaction } from "./Interaction.js"
import * as Hostile from "./internal/hostile.js"
import { Partner } from "./Partner.js"
import { Profile } from "./Profile.js"
import { Referral } from "./Referral.js"
import { InvalidData, invalidData } from "./StoreError.js"

/**
 * The format marker of a book document.
 *
 * @since 0.1.0
 * @category constants
 */
export const format = "partnerbook/book"

/**
 * The current version of the document format.
 *
 * @since 0.1.0
 * @category constants
 */
export const version = 1

/**
 * A whole book. Records are sorted by id (code-unit order) so that two exports of the same
 * book are byte-identical.
 *
 * @since 0.1.0
 * @category models
 */
export class BookDocument extends Schema.Class<BookDocument>("BookDocument")({
  format: Schema.Literal(format),
  version: Schema.Literal(version),
  book: BookId,
  profile: Schema.NullOr(Profile),
  partners: Schema.Array(Partner),
  referrals: Schema.Array(Referral),
  interactions: Schema.Array(Interaction),
  clients: Schema.Array(Client)
}) {}

/**
 * How many records of each kind a document holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counts {
  readonly profile: number
  readonly partners: number
  readonly referrals: number
  readonly interactions: number
  readonly clients: number
}

/**
 * The counts of a document.
 *
 * @since 0.1.0
 * @category getters
 */
export const counts = (document: BookDocument): Counts => ({
  profile: document.profile === null ? 0 : 1,
  partners: document.partners.length,
  referrals: document.referrals.length,
  interactions: document.interactions.length,
  clients: document.clients.length
})

const byId = <A extends { readonly id: string }>(records: ReadonlyArray<A>): ReadonlyArray<A> =>
  [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/**
 * A document for a book from its records, sorted by id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (parts: {
  readonly book: BookId
  readonly profile: Profile | null
  readonly partners: ReadonlyArray<Partner>
  readonly referrals: ReadonlyArray<Referral>
  readonly interactions: ReadonlyArray<Interaction>
  readonly clients: ReadonlyArray<Client>
}): BookDocument =>
  new BookDocument(
    {
      format,
      version,
      book: parts.book,
      profile: parts.profile,
      partners: byId(parts.partners),
      referrals: byId(parts.referrals),
      interactions: byId(parts.interactions),
      clients: byId(parts.clients)
    },
    { disableValidation: true }
  )

const decodeEither = Schema.decodeUnknownEither(BookDocument, { errors: "first", onExcessProperty: "error" })
const encodeEither = Schema.encodeEither(BookDocument, { errors: "first" })

/**
 * Decodes a document from parsed JSON (or checks a decoded one, as `exportBook` returns it,
 * in its JSON form). Every record is checked against its schema, must
 * belong to the document's book and have an id of its own (no id twice in a list); text must
 * be well-formed Unicode and nesting bounded. The error names the path (`referrals.12.date`,
 * `partners.3.id`).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (value: unknown): Either.Either<BookDocument, InvalidData> => {
  // A decoded document (what `exportBook` returns) is checked in its JSON form.
  const encoded = value instanceof BookDocument ? encodeEither(value) : Either.right(value)
  if (Either.isLeft(encoded)) return Either.left(invalidData(encoded.left))
  const input = encoded.right
  // Before the Schema: its error messages quote the value, and a 5,000-deep one overflows.
  const hostile = Hostile.scan(input)
  if (hostile !== undefined) {
    const path = hostile.path.join(".")
    return Either.left(
      new InvalidData({ path, message: `${path === "" ? "" : `${path}: `}${hostile.problem}` })
    )
  }
  const result = decodeEither(input)
  if (Either.isLeft(result)) return Either.left(invalidData(result.left))
  const document = result.right
  const lists = ["partners", "referrals", "interactions", "clients"] as const
  if (document.profile !== null && document.profile.book !== document.book) {
    return Either.left(wrongBook("profile.book", document.profile.book, document.book))
  }
  for (const list of lists) {
    const records: ReadonlyArray<{ readonly book: string }> = document[list]
    for (let i = 0; i < records.length; i++) {
      if (records[i]!.book !== document.book)
        return Either.left(wrongBook(`${list}.${i}.book`, records[i]!.book, document.book))
    }
  }
  for (const list of lists) {
    const seen = new Map<string, number>()
    const records: ReadonlyArray<{ readonly id: string }> = document[list]
    for (let i = 0; i < records.length; i++) {
      const id = records[i]!.id
      const first = seen.get(id)
      if (first !== undefined) {
        const path = `${list}.${i}.id`
        return Either.left(
          new InvalidData({
            path,
            message: `${path}: duplicate id ${JSON.stringify(id)} (also at ${list}.${first})`
          })
        )
      }
      seen.set(id, i)
    }
  }
  return Either.right(document)
}

const wrongBook = (path: string, found: string, book: string): InvalidData =>
  new InvalidData({
    path,
    message: `${path}: the record belongs to book ${JSON.stringify(found)}, the document to ${JSON.stringify(book)}`
  })

/**
 * The document as plain JSON (dates as ISO strings).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode: (document: BookDocument) => typeof BookDocument.Encoded = Schema.encodeSync(BookDocument)

/**
 * The same document moved to another book id (every record's `book` rewritten).
 *
 * @since 0.1.0
 * @category combinators
 */
export const rebook = (document: BookDocument, book: BookId): BookDocument => {
  if (document.book === book) return document
  const trusted = { disableValidation: true } as const
  return new BookDocument(
    {
      ...document,
      book,
      profile: document.profile === null ? null : new Profile({ ...document.profile, book }, trusted),
      partners: document.partners.map((x) => new Partner({ ...x, book }, trusted)),
      referrals: document.referrals.map((x) => new Referral({ ...x, book }, trusted)),
      interactions: document.interactions.map((x) => new Interaction({ ...x, book }, trusted)),
      clients: document.clients.map((x) => new Client({ ...x, book }, trusted))
    },
    trusted
  )
}
