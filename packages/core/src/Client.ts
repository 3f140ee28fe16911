/**
 * Your own new clients: where they came from and what they asked about.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { BookId, ExternalId, IdString, IsoDate, Name, Revision } from "./Book.js"
import { PartnerId } from "./Partner.js"
import { ProfessionId } from "./Profession.js"

/**
 * The id of a client within a book.
 *
 * @since 0.1.0
 * @category models
 */
export const ClientId = IdString.pipe(
  Schema.brand("ClientId"),
  Schema.annotations({ identifier: "ClientId" })
)
/**
 * @since 0.1.0
 * @category models
 */
export type ClientId = typeof ClientId.Type

/**
 * Where a client came from: a partner, an informal contact who is not a partner (yet), or
 * anything else (advertising, a walk-in).
 *
 * @since 0.1.0
 * @category models
 */
export const Source = Schema.Union(
  Schema.TaggedStruct("partner", { partnerId: PartnerId }),
  Schema.TaggedStruct("contact", { name: Name }),
  Schema.TaggedStruct("other", { description: Schema.optional(Schema.String.pipe(Schema.maxLength(500))) })
)
/**
 * @since 0.1.0
 * @category models
 */
export type Source = typeof Source.Type

/**
 * One of your new clients. `label` is opaque (keep personal data out); `askedAbout` lists
 * the professions the client asked you about ("Do you know a good accountant?").
 *
 * @since 0.1.0
 * @category models
 */
export class Client extends Schema.Class<Client>("Client")({
  id: ClientId,
  book: BookId,
  label: Schema.String.pipe(Schema.maxLength(500)),
  acquiredAt: IsoDate,
  source: Source,
  askedAbout: Schema.Array(ProfessionId).pipe(Schema.maxItems(100)),
  /** The record's id in another system (a CRM), unique per book and entity kind. */
  externalId: Schema.optional(ExternalId),
  revision: Revision
}) {}
