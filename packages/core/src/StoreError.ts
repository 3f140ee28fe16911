/**
 * The errors a {@link Store} can fail with. All are `Error` instances with a `_tag`.
 *
 * @since 0.1.0
 */
import { ParseResult, Schema } from "effect"

/**
 * The record kinds a store holds.
 *
 * @since 0.1.0
 * @category models
 */
export const Entity = Schema.Literal("profile", "partner", "referral", "interaction", "client")
/**
 * @since 0.1.0
 * @category models
 */
export type Entity = typeof Entity.Type

/**
 * No record of that kind and id in that book.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@partnerbook/core/NotFound")("NotFound", {
  entity: Entity,
  book: Schema.String,
  id: Schema.String
}) {
  override get message(): string {
    return `No ${this.entity} ${JSON.stringify(this.id)} in book ${JSON.stringify(this.book)}`
  }
}

/**
 * A write carried a stale revision: someone else changed the record since it was read.
 * Nothing was changed. `actual` is the stored revision (`null` when the record is absent).
 *
 * @since 0.1.0
 * @category errors
 */
export class RevisionConflict extends Schema.TaggedError<RevisionConflict>(
  "@partnerbook/core/RevisionConflict"
)("RevisionConflict", {
  entity: Entity,
  book: Schema.String,
  id: Schema.String,
  expected: Schema.Number,
  actual: Schema.NullOr(Schema.Number)
}) {
  override get message(): string {
    return `Revision conflict on ${this.entity} ${JSON.stringify(this.id)} in book ${JSON.stringify(this.book)}: the write carried revision ${this.expected}, the store holds ${this.actual === null ? "no such record" : `revision ${this.actual}`}; reload and try again`
  }
}

/**
 * Data that does not match the schemas: `path` is the Schema path of the first issue
 * (`partners.3.createdAt`), `message` the full explanation. Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidData extends Schema.TaggedError<InvalidData>("@partnerbook/core/InvalidData")(
  "InvalidData",
  {
    path: Schema.String,
    message: Schema.String
  }
) {}

/**
 * The store's contents cannot be read as a Partnerbook store: a file that is not a
 * database, an empty or truncated document, a record that violates the schema. `location`
 * names the file (or table) and the path inside it. The store is left exactly as it was.
 *
 * @since 0.1.0
 * @category errors
 */
export class CorruptStore extends Schema.TaggedError<CorruptStore>("@partnerbook/core/CorruptStore")(
  "CorruptStore",
  {
    location: Schema.String,
    reason: Schema.String
  }
) {
  override get message(): string {
    return `Corrupt store at ${this.location}: ${this.reason}`
  }
}

/**
 * The store cannot be reached or used right now (a locked or unreachable database, a full
 * disk, a permission error). The operation changed nothing.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>(
  "@partnerbook/core/StoreUnavailable"
)("StoreUnavailable", {
  reason: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `Store unavailable: ${this.reason}`
  }
}

/**
 * An import into a book that already holds records. Import only fills empty books, so that
 * nothing is ever merged or overwritten by accident.
 *
 * @since 0.1.0
 * @category errors
 */
export class BookNotEmpty extends Schema.TaggedError<BookNotEmpty>("@partnerbook/core/BookNotEmpty")(
  "BookNotEmpty",
  { book: Schema.String }
) {
  override get message(): string {
    return `Book ${JSON.stringify(this.book)} is not empty: import only fills an empty book`
  }
}

/**
 * The errors any store operation can fail with, whatever it does.
 *
 * @since 0.1.0
 * @category errors
 */
export type StoreError = CorruptStore | StoreUnavailable

/**
 * The dotted path of the first issue of a ParseError (`partners.3.createdAt`), or `""` at the root.
 *
 * @since 0.1.0
 * @category utils
 */
export const pathOf = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  return issues[0]?.path.map(String).join(".") ?? ""
}

/**
 * An {@link InvalidData} from a ParseError, optionally under a prefix path.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalidData = (error: ParseResult.ParseError, prefix?: string): InvalidData => {
  const path = [prefix, pathOf(error)].filter((x) => x !== undefined && x !== "").join(".")
  return new InvalidData({ path, message: `${path === "" ? "" : `${path}: `}${error.message}` })
}
