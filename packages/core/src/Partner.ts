/**
 * A professional in the network.
 *
 * @since 0.1.0
 */
import { Order, Schema } from "effect"
import { BookId, ExternalId, IdString, IsoDate, Name, Revision, Text } from "./Book.js"
import { IdealClientProfile } from "./IdealClientProfile.js"
import { ProfessionId } from "./Profession.js"

/**
 * The id of a partner within a book.
 *
 * @since 0.1.0
 * @category models
 */
export const PartnerId = IdString.pipe(
  Schema.brand("PartnerId"),
  Schema.annotations({ identifier: "PartnerId" })
)
/**
 * @since 0.1.0
 * @category models
 */
export type PartnerId = typeof PartnerId.Type

/**
 * `complementary`: serves the same clients with a different service. `peer`: same
 * profession, takes overflow work when you are booked or the client is not yours.
 *
 * @since 0.1.0
 * @category models
 */
export const Kind = Schema.Literal("complementary", "peer")
/**
 * @since 0.1.0
 * @category models
 */
export type Kind = typeof Kind.Type

/**
 * Where the relationship stands, following the seed's approach: `identified` -> `gave-first`
 * -> `met-one-on-one` -> `ideal-clients-shared` -> `active`; `dormant` when it faded;
 * `not-a-fit` is set by the user, keeps the contact (no burned bridges) and stops reminders.
 *
 * @since 0.1.0
 * @category models
 */
export const Stage = Schema.Literal(
  "identified",
  "gave-first",
  "met-one-on-one",
  "ideal-clients-shared",
  "active",
  "dormant",
  "not-a-fit"
)
/**
 * @since 0.1.0
 * @category models
 */
export type Stage = typeof Stage.Type

const Score = Schema.Int.pipe(Schema.between(1, 5))

/**
 * How well you know, like and trust the partner, 1..5 each: the three things a partnership
 * needs before it works.
 *
 * @since 0.1.0
 * @category models
 */
export class KnowLikeTrust extends Schema.Class<KnowLikeTrust>("KnowLikeTrust")({
  know: Score,
  like: Score,
  trust: Score
}) {}

/**
 * Client-base overlap, 0..1.
 *
 * @since 0.1.0
 * @category models
 */
export const Alignment = Schema.Number.pipe(
  Schema.between(0, 1),
  Schema.annotations({ identifier: "Alignment" })
)

/**
 * A professional in the network.
 *
 * @since 0.1.0
 * @category models
 */
export class Partner extends Schema.Class<Partner>("Partner")({
  id: PartnerId,
  book: BookId,
  name: Name,
  organization: Schema.optional(Name),
  profession: ProfessionId,
  kind: Kind,
  stage: Stage,
  idealClient: Schema.optional(IdealClientProfile),
  /** A manual client-base overlap; wins over anything computed. */
  alignment: Schema.optional(Alignment),
  /** Days between check-ins for this partner; wins over the default by quadrant. */
  cadenceDays: Schema.optional(Schema.Int.pipe(Schema.between(1, 3650))),
  knowLikeTrust: Schema.optional(KnowLikeTrust),
  tags: Schema.Array(Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(100))).pipe(Schema.maxItems(100)),
  notes: Text,
  createdAt: IsoDate,
  /** The record's id in another system (a CRM), unique per book and entity kind. */
  externalId: Schema.optional(ExternalId),
  revision: Revision
}) {}

/**
 * The one order of partners everywhere a list of them is shown: by name, then by id, both
 * compared by UTF-16 code units (never `localeCompare`), so the order is the same on every
 * machine whatever its locale ("ä" sorts after "z" everywhere).
 *
 * @example
 * import { Partner } from "@partnerbook/core"
 * const sorted = [{ id: "b", name: "Zoë" }, { id: "a", name: "Ana" }].sort(Partner.byName)
 *
 * @since 0.2.0
 * @category ordering
 */
export const byName: Order.Order<{ readonly name: string; readonly id: string }> = Order.combine(
  Order.mapInput(Order.string, (p: { readonly name: string; readonly id: string }) => p.name),
  Order.mapInput(Order.string, (p: { readonly name: string; readonly id: string }) => p.id)
)
