/**
 * One client introduction, in either direction, and its lifecycle.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Amount, BookId, ExternalId, IdString, IsoDate, Revision, Text } from "./Book.js"
import * as InvalidInput from "./InvalidInput.js"
import { PartnerId } from "./Partner.js"

/**
 * The id of a referral within a book.
 *
 * @since 0.1.0
 * @category models
 */
export const ReferralId = IdString.pipe(
  Schema.brand("ReferralId"),
  Schema.annotations({ identifier: "ReferralId" })
)
/**
 * @since 0.1.0
 * @category models
 */
export type ReferralId = typeof ReferralId.Type

/**
 * `given`: you introduced a client to the partner. `received`: the partner introduced one to you.
 *
 * @since 0.1.0
 * @category models
 */
export const Direction = Schema.Literal("given", "received")
/**
 * @since 0.1.0
 * @category models
 */
export type Direction = typeof Direction.Type

/**
 * `introduced` -> `contacted` -> `engaged` | `not-engaged`. The last two are outcomes.
 *
 * @since 0.1.0
 * @category models
 */
export const Status = Schema.Literal("introduced", "contacted", "engaged", "not-engaged")
/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * One client introduction. `client` is an opaque label: keep personal data out of it.
 *
 * @since 0.1.0
 * @category models
 */
export class Referral extends Schema.Class<Referral>("Referral")({
  id: ReferralId,
  book: BookId,
  partnerId: PartnerId,
  direction: Direction,
  client: Schema.String.pipe(Schema.maxLength(500)),
  date: IsoDate,
  status: Status,
  /** When the status last changed (the date of the outcome for `engaged` / `not-engaged`). */
  statusChangedAt: Schema.optional(IsoDate),
  /** Value of the business that closed. */
  value: Schema.optional(Amount),
  /** When a thank-you was sent (received referrals). */
  thankedAt: Schema.optional(IsoDate),
  /** When the referrer was told the outcome (received referrals). */
  loopClosedAt: Schema.optional(IsoDate),
  /** A referral fee, where one was paid or received. */
  fee: Schema.optional(Amount),
  notes: Schema.optional(Text),
  /** The record's id in another system (a CRM), unique per book and entity kind. */
  externalId: Schema.optional(ExternalId),
  revision: Revision
}) {}

const order: Record<Status, number> = { introduced: 0, contacted: 1, engaged: 2, "not-engaged": 2 }

/**
 * Whether a referral may move from one status to another: only forwards
 * (`introduced` -> `contacted` -> an outcome), and never from one outcome to the other.
 *
 * @since 0.1.0
 * @category predicates
 */
export const canMove = (from: Status, to: Status): boolean => order[to] > order[from]

/**
 * Whether the referral reached an outcome (`engaged` or `not-engaged`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isClosed = (referral: Pick<Referral, "status">): boolean =>
  referral.status === "engaged" || referral.status === "not-engaged"

/**
 * Moves a referral to a later status, as of `at`; `value` records closed business. Throws
 * {@link InvalidInput.InvalidInput} (field `status`) when the move is not forwards.
 *
 * @since 0.1.0
 * @category combinators
 */
export const moveTo = (referral: Referral, status: Status, at: Date, value?: number): Referral => {
  if (!canMove(referral.status, status)) {
    throw InvalidInput.make("status", `a referral cannot move from ${referral.status} to ${status}`)
  }
  return Referral.make({
    ...referral,
    status,
    statusChangedAt: at,
    ...(value === undefined ? {} : { value })
  })
}
