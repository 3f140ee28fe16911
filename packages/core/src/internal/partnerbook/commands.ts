/**
 * The command inputs and the error of the Partnerbook service. `Partnerbook.ts` exports
 * them with their documentation; the use cases here read them without importing it.
 */
import { ParseResult, Schema } from "effect"
import { ExternalId, IsoDate, TimeZone } from "../../Book.js"
import { Client, ClientId, Source } from "../../Client.js"
import { IdealClientProfile } from "../../IdealClientProfile.js"
import { InteractionId, Kind as InteractionKind } from "../../Interaction.js"
import { Alignment, KnowLikeTrust, Kind as PartnerKind, Partner, PartnerId, Stage } from "../../Partner.js"
import type * as Introductions from "../../Introductions.js"
import type * as Matrix from "../../Matrix.js"
import { ProfessionId } from "../../Profession.js"
import { ReferralId } from "../../Referral.js"

/**
 * A command that is well-formed but not allowed in the book's current state: thanking a
 * referral you gave, moving a status backwards, closing the loop before there is an outcome.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCommand extends Schema.TaggedError<InvalidCommand>("@partnerbook/core/InvalidCommand")(
  "InvalidCommand",
  {
    command: Schema.String,
    message: Schema.String
  }
) {}

const Name = Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(500))
// A date argument: a Date in the range of a stored date (a Date of year 0 is InvalidInput),
// or a string read as an IsoDate (whose own message says what is wrong with it).
export const Day = Schema.transformOrFail(
  Schema.Union(Schema.DateFromSelf, Schema.String),
  Schema.typeSchema(IsoDate),
  {
    strict: true,
    decode: (input) =>
      typeof input === "string" ? ParseResult.decodeUnknown(IsoDate)(input) : ParseResult.succeed(input),
    encode: ParseResult.succeed
  }
)

const Notes = Schema.String.pipe(Schema.maxLength(200_000))
const CadenceDays = Schema.Int.pipe(Schema.between(1, 3650))

/** A non-negative amount of money (a referral's value or fee). */
export const Amount = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/** Public as `Partnerbook.SetProfile`. */
export const SetProfile = Schema.Struct({
  name: Name,
  profession: ProfessionId,
  idealClient: Schema.optional(IdealClientProfile),
  /** The book's IANA time zone (since 0.2.0); kept when absent, `"UTC"` for a new profile. */
  timeZone: Schema.optional(TimeZone)
})

const partnerFields = {
  name: Name,
  profession: ProfessionId,
  organization: Schema.optional(Name),
  kind: Schema.optional(PartnerKind),
  stage: Schema.optional(Stage),
  idealClient: Schema.optional(IdealClientProfile),
  alignment: Schema.optional(Alignment),
  cadenceDays: Schema.optional(CadenceDays),
  knowLikeTrust: Schema.optional(KnowLikeTrust),
  tags: Schema.optional(Partner.fields.tags),
  notes: Schema.optional(Notes),
  externalId: Schema.optional(ExternalId)
}

/** Public as `Partnerbook.AddPartner`. */
export const AddPartner = Schema.Struct({
  ...partnerFields,
  id: Schema.optional(PartnerId),
  createdAt: Schema.optional(Day)
})

/** Public as `Partnerbook.UpdatePartner`. */
export const UpdatePartner = Schema.Struct({
  name: Schema.optional(Name),
  profession: Schema.optional(ProfessionId),
  organization: Schema.optional(Schema.NullOr(Name)),
  kind: Schema.optional(PartnerKind),
  stage: Schema.optional(Stage),
  idealClient: Schema.optional(Schema.NullOr(IdealClientProfile)),
  alignment: Schema.optional(Schema.NullOr(Alignment)),
  cadenceDays: Schema.optional(Schema.NullOr(CadenceDays)),
  knowLikeTrust: Schema.optional(Schema.NullOr(KnowLikeTrust)),
  tags: Schema.optional(Partner.fields.tags),
  notes: Schema.optional(Notes),
  externalId: Schema.optional(Schema.NullOr(ExternalId))
})

/** Public as `Partnerbook.LogReferral`. */
export const LogReferral = Schema.Struct({
  partnerId: PartnerId,
  client: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  date: Schema.optional(Day),
  value: Schema.optional(Amount),
  fee: Schema.optional(Amount),
  notes: Schema.optional(Notes),
  id: Schema.optional(ReferralId),
  externalId: Schema.optional(ExternalId)
})

/** Public as `Partnerbook.LogInteraction`. */
export const LogInteraction = Schema.Struct({
  partnerId: PartnerId,
  kind: InteractionKind,
  date: Schema.optional(Day),
  positive: Schema.optional(Schema.Boolean),
  notes: Schema.optional(Notes),
  id: Schema.optional(InteractionId),
  externalId: Schema.optional(ExternalId)
})

/** Public as `Partnerbook.AddClient`. */
export const AddClient = Schema.Struct({
  label: Schema.String.pipe(Schema.maxLength(500)),
  source: Schema.optional(Source),
  askedAbout: Schema.optional(Client.fields.askedAbout),
  acquiredAt: Schema.optional(Day),
  id: Schema.optional(ClientId),
  externalId: Schema.optional(ExternalId)
})

/** Public as `Partnerbook.ListQuery`. */
export const ListQuery = Schema.Struct({
  partnerId: Schema.optional(PartnerId),
  after: Schema.optional(Day),
  until: Schema.optional(Day)
})

/** Public as `Partnerbook.SearchPartners`. */
export const SearchPartners = Schema.Struct({
  text: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  stage: Schema.optional(Stage),
  tag: Schema.optional(Schema.String.pipe(Schema.maxLength(100))),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 1000))),
  cursor: Schema.optional(Schema.String.pipe(Schema.maxLength(2000)))
})

/** Public as `Partnerbook.ChangesQuery`. */
export const ChangesQuery = Schema.Struct({
  after: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, 10_000)))
})

// The options of the use cases. `Partnerbook.ts` exports them under its own names with their
// documentation (`interface Expect extends Commands.Expect {}`): declared once, here, so that
// no internal module imports the public one.

export interface Expect {
  readonly expectedRevision?: number
}

export interface DatedChange extends Expect {
  readonly date?: Date | string
}

export interface AsOf {
  /** A Date or an ISO-8601 string; defaults to today (Effect's Clock). */
  readonly asOf?: Date | string
}

export interface RuleOptions<O> extends AsOf {
  readonly windowDays?: number
  readonly thresholds?: Matrix.Thresholds
  /** The rule's own options (defaults, cadences, weights). */
  readonly options?: O
}

export type PlanIntroductions = Omit<Introductions.Input, "attendees"> & {
  readonly attendees: ReadonlyArray<typeof Introductions.Attendee.Encoded>
}
