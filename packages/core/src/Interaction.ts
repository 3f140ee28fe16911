/**
 * Touchpoints with a partner.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { BookId, ExternalId, IdString, IsoDate, Revision, Text } from "./Book.js"
import { PartnerId } from "./Partner.js"

/**
 * The id of an interaction within a book.
 *
 * @since 0.1.0
 * @category models
 */
export const InteractionId = IdString.pipe(
  Schema.brand("InteractionId"),
  Schema.annotations({ identifier: "InteractionId" })
)
/**
 * @since 0.1.0
 * @category models
 */
export type InteractionId = typeof InteractionId.Type

/**
 * The kind of touchpoint. `outreach` is a cold call or email; `ideal-client-shared` records
 * that you and the partner described your ideal clients to each other; `honest-conversation`
 * (since 0.2.0) records that you talked openly about a one-sided relationship (what
 * `Balance.report` advises before investing elsewhere).
 *
 * @since 0.1.0
 * @category models
 */
export const Kind = Schema.Literal(
  "one-on-one",
  "check-in",
  "event",
  "thank-you",
  "shared-content",
  "outreach",
  "ideal-client-shared",
  "note",
  "honest-conversation"
)
/**
 * @since 0.1.0
 * @category models
 */
export type Kind = typeof Kind.Type

/**
 * A touchpoint with a partner. `positive` says whether it went well, when known.
 *
 * @since 0.1.0
 * @category models
 */
export class Interaction extends Schema.Class<Interaction>("Interaction")({
  id: InteractionId,
  book: BookId,
  partnerId: PartnerId,
  kind: Kind,
  date: IsoDate,
  positive: Schema.optional(Schema.Boolean),
  notes: Schema.optional(Text),
  /** The record's id in another system (a CRM), unique per book and entity kind. */
  externalId: Schema.optional(ExternalId),
  revision: Revision
}) {}
