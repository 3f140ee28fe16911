/**
 * The sample book of the demo, built from the scenarios of the seed articles: an estate
 * planning attorney in South Florida with three CPA partners, a real estate agent and a
 * mortgage lender, a financial advisor, an insurance agent who acts as a hub, an event planner,
 * a peer attorney who takes overflow work, and a business consultant who turned out not to be
 * a fit. Her own new clients name the informal contacts who already send her work.
 *
 * Every date is relative to `asOf`, so the book tells the same story whatever day it is built
 * for; the demo uses a fixed date so that its output is reproducible. The book is deliberately
 * rich (every interaction kind, received referrals with and without thank-yous, outcomes with
 * and without the loop closed, clients who asked about other professions) so that every rule
 * has something to say about it.
 *
 * It is what `partnerbook demo` writes, and the fixture of the repository's `pnpm demo` and
 * examples.
 *
 * @since 0.2.0
 */
import {
  Book,
  Client,
  IdealClientProfile,
  Interaction,
  Partner,
  Profession,
  Profile,
  Referral
} from "@partnerbook/core"

/**
 * The records of one book, decoded.
 *
 * @since 0.2.0
 * @category models
 */
export interface SampleBook {
  readonly profile: Profile.Profile
  readonly partners: ReadonlyArray<Partner.Partner>
  readonly referrals: ReadonlyArray<Referral.Referral>
  readonly interactions: ReadonlyArray<Interaction.Interaction>
  readonly clients: ReadonlyArray<Client.Client>
}

/**
 * The as-of date the demo and the docs use, so that their output never changes.
 *
 * @since 0.2.0
 * @category constants
 */
export const demoAsOf = new Date("2026-11-23T00:00:00.000Z")

const DAY_MS = 86_400_000
const book = Book.defaultBookId
const profession = (id: string) => Profession.ProfessionId.make(id)

interface PartnerSpec {
  readonly id: string
  readonly name: string
  readonly organization: string
  readonly profession: string
  readonly kind?: Partner.Kind
  readonly stage: Partner.Stage
  readonly idealClient?: IdealClientProfile.IdealClientProfile
  readonly alignment?: number
  readonly cadenceDays?: number
  readonly knowLikeTrust?: readonly [know: number, like: number, trust: number]
  readonly tags?: ReadonlyArray<string>
  readonly notes?: string
  /** Days before `asOf` the partner was added. */
  readonly since: number
}

/**
 * What became of a referral, in days after it was made: `contacted`, `engaged` or `notEngaged`
 * give the status and when it last changed; `thanked` when the thank-you went out (received
 * referrals); `loopClosed` when the referrer was told the outcome, in days after the outcome.
 */
interface Lifecycle {
  readonly contacted?: number
  readonly engaged?: number
  readonly notEngaged?: number
  readonly value?: number
  readonly thanked?: number
  readonly loopClosed?: number
  readonly fee?: number
  readonly notes?: string
}

interface ReferralSpec extends Lifecycle {
  readonly partner: string
  readonly direction: Referral.Direction
  readonly daysAgo: number
  readonly client: string
}

/** A referral you made to `partner`, `daysAgo` days before `asOf`. */
const given = (partner: string, daysAgo: number, client: string, life: Lifecycle = {}): ReferralSpec => ({
  partner,
  direction: "given",
  daysAgo,
  client,
  ...life
})

/** A referral `partner` made to you, `daysAgo` days before `asOf`. */
const received = (partner: string, daysAgo: number, client: string, life: Lifecycle = {}): ReferralSpec => ({
  partner,
  direction: "received",
  daysAgo,
  client,
  ...life
})

interface InteractionSpec {
  readonly partner: string
  readonly kind: Interaction.Kind
  readonly daysAgo: number
  readonly positive: boolean | undefined
  readonly notes: string | undefined
}

/** A touchpoint with `partner`, `daysAgo` days before `asOf`. */
const touch = (
  partner: string,
  kind: Interaction.Kind,
  daysAgo: number,
  positive?: boolean,
  notes?: string
): InteractionSpec => ({ partner, kind, daysAgo, positive, notes })

interface ClientSpec {
  readonly daysAgo: number
  readonly source: { readonly partner: string } | { readonly contact: string } | { readonly other: string }
  readonly askedAbout?: ReadonlyArray<string>
}

const ownerIdealClient = IdealClientProfile.make(
  "Business owners and their families in South Florida with estates over $2M, planning a business sale or their retirement",
  {
    regions: ["South Florida"],
    clientTypes: ["business owners", "families"],
    lifeEvents: ["business sale", "retirement"],
    bands: ["high net worth"]
  }
)

const partners: ReadonlyArray<PartnerSpec> = [
  {
    id: "carla-chen",
    name: "Carla Chen",
    organization: "Chen & Associates CPAs",
    profession: "cpa",
    stage: "active",
    idealClient: IdealClientProfile.make(
      "Owner-managed companies and their families in Miami-Dade and Palm Beach",
      {
        regions: ["South Florida", "Palm Beach"],
        clientTypes: ["business owners", "families"],
        lifeEvents: ["business sale"]
      }
    ),
    knowLikeTrust: [5, 5, 5],
    tags: ["tax", "core"],
    notes: "Sees the whole financial picture every tax season; spots estate planning needs early.",
    since: 900
  },
  {
    id: "david-okafor",
    name: "David Okafor",
    organization: "Okafor Tax & Advisory",
    profession: "cpa",
    stage: "gave-first",
    idealClient: IdealClientProfile.make("Physician practices and medical groups in South Florida", {
      regions: ["South Florida"],
      clientTypes: ["business owners"],
      industries: ["healthcare"]
    }),
    knowLikeTrust: [2, 4, 2],
    tags: ["tax", "healthcare"],
    notes: "Met at a Profitable Connections event; works with medical practices.",
    since: 120
  },
  {
    id: "priya-shah",
    name: "Priya Shah",
    organization: "Shah CPA Group",
    profession: "cpa",
    stage: "ideal-clients-shared",
    alignment: 0.7,
    knowLikeTrust: [4, 4, 3],
    tags: ["tax"],
    notes: "We send her a lot of work; very little comes back.",
    since: 700
  },
  {
    id: "james-whitfield",
    name: "James Whitfield",
    organization: "Whitfield Wealth Partners",
    profession: "financial-advisor",
    stage: "active",
    idealClient: IdealClientProfile.make(
      "Retirement planning for business owners in South Florida who are within five years of selling their company and need to protect the proceeds",
      {
        regions: ["South Florida"],
        clientTypes: ["business owners"],
        lifeEvents: ["business sale", "retirement"]
      }
    ),
    knowLikeTrust: [5, 4, 5],
    tags: ["wealth"],
    notes: "Refers clients with trust, will and asset protection questions.",
    since: 600
  },
  {
    id: "marco-rossi",
    name: "Marco Rossi",
    organization: "Rossi Realty",
    profession: "real-estate-agent",
    stage: "active",
    idealClient: IdealClientProfile.make("First-time buyers and young families relocating to Broward", {
      regions: ["South Florida"],
      clientTypes: ["first-time buyers", "young families"],
      lifeEvents: ["relocation"]
    }),
    knowLikeTrust: [4, 5, 4],
    tags: ["real estate"],
    notes: "Sends buyers who need wills after closing.",
    since: 400
  },
  {
    id: "sofia-lee",
    name: "Sofia Lee",
    organization: "Coastal Home Lending",
    profession: "mortgage-lender",
    stage: "dormant",
    alignment: 0.2,
    notes: "Pre-qualifies Marco's buyers; we have not spoken in over a year.",
    since: 800
  },
  {
    id: "nadia-brooks",
    name: "Nadia Brooks",
    organization: "Brooks Commercial Insurance",
    profession: "insurance-agent",
    stage: "active",
    knowLikeTrust: [4, 5, 4],
    tags: ["hub", "business owners"],
    notes: "A hub: connects her business-owner clients with attorneys, consultants and IT firms.",
    since: 650
  },
  {
    id: "heather-herrington",
    name: "Heather Herrington",
    organization: "Flawless Execution Events",
    profession: "event-planner",
    stage: "met-one-on-one",
    alignment: 0.25,
    cadenceDays: 120,
    tags: ["events"],
    notes: "Planned our client appreciation evening; partners with other event planners for overflow.",
    since: 300
  },
  {
    id: "tom-alvarez",
    name: "Tom Alvarez",
    organization: "Alvarez Law",
    profession: "estate-planning-attorney",
    kind: "peer",
    stage: "met-one-on-one",
    alignment: 0.6,
    tags: ["overflow"],
    notes: "A peer: takes overflow work when I am booked, and the small-estate clients who are not mine.",
    since: 200
  },
  {
    id: "greg-palmer",
    name: "Greg Palmer",
    organization: "Palmer Growth Consulting",
    profession: "business-consultant",
    stage: "not-a-fit",
    alignment: 0.4,
    notes: "It did not click. No burned bridges.",
    since: 330
  }
]

const referrals: ReadonlyArray<ReferralSpec> = [
  // Carla (CPA, core): steady in both directions, thanked, loops closed.
  received("carla-chen", 340, "family-trust-17", { engaged: 12, value: 6500, thanked: 1, loopClosed: 3 }),
  given("carla-chen", 300, "tax-question-04", { engaged: 10 }),
  received("carla-chen", 230, "business-sale-09", { engaged: 14, value: 12000, thanked: 2, loopClosed: 5 }),
  given("carla-chen", 180, "bookkeeping-22", { engaged: 9 }),
  received("carla-chen", 120, "estate-update-31", { notEngaged: 20, thanked: 1, loopClosed: 2 }),
  given("carla-chen", 75, "tax-planning-40", { contacted: 5 }),
  received("carla-chen", 45, "succession-44", { engaged: 15, value: 8000, thanked: 1 }),
  given("carla-chen", 20, "audit-help-47"),
  received("carla-chen", 3, "trust-review-52"),
  // David (CPA, opportunity): we gave first; nothing back yet.
  given("david-okafor", 60, "medical-practice-38", { engaged: 21 }),
  // Priya (CPA): busy but one-sided, for more than a year.
  given("priya-shah", 500, "tax-05", { engaged: 10 }),
  given("priya-shah", 420, "tax-08", { engaged: 10 }),
  given("priya-shah", 360, "tax-12", { engaged: 14 }),
  given("priya-shah", 290, "tax-18", { engaged: 7 }),
  received("priya-shah", 250, "estate-20", { notEngaged: 30, thanked: 2 }),
  given("priya-shah", 210, "tax-25", { engaged: 12 }),
  given("priya-shah", 130, "tax-33", { contacted: 4 }),
  given("priya-shah", 40, "tax-43"),
  // James (financial advisor, core): balanced; one outcome the referrer was never told.
  given("james-whitfield", 330, "portfolio-15", { engaged: 20 }),
  received("james-whitfield", 260, "trust-19", { engaged: 10, value: 9500, thanked: 2, loopClosed: 4 }),
  given("james-whitfield", 150, "retirement-30", { engaged: 30 }),
  received("james-whitfield", 90, "asset-protection-36", { engaged: 20, value: 7200, thanked: 3 }),
  received("james-whitfield", 50, "will-update-41", { contacted: 6 }),
  // Marco (real estate agent, generous): sends buyers lately; we rarely reciprocate.
  given("marco-rossi", 200, "home-sale-27", { engaged: 30 }),
  received("marco-rossi", 85, "new-homeowner-37", { engaged: 8, value: 2500, thanked: 1, loopClosed: 2 }),
  received("marco-rossi", 60, "new-homeowner-39", { notEngaged: 10, thanked: 4 }),
  received("marco-rossi", 35, "new-homeowner-42", {
    engaged: 12,
    value: 1800,
    fee: 250,
    notes: "Paid Marco the referral fee he asked for."
  }),
  received("marco-rossi", 10, "new-homeowner-50"),
  // Sofia (mortgage lender, casual): one referral long ago.
  received("sofia-lee", 430, "refinance-07", {
    engaged: 15,
    value: 1500,
    thanked: 2,
    loopClosed: 5,
    fee: 0,
    notes: "No fee: she declined one."
  }),
  // Nadia (insurance agent, hub): has sent business owners for more than a year.
  received("nadia-brooks", 400, "owner-06", { engaged: 14, value: 5000, thanked: 1, loopClosed: 3 }),
  received("nadia-brooks", 330, "owner-14", { engaged: 14, value: 4200, thanked: 2, loopClosed: 2 }),
  received("nadia-brooks", 260, "owner-21", { notEngaged: 21, thanked: 1, loopClosed: 1 }),
  received("nadia-brooks", 200, "owner-26", { engaged: 10, value: 6000, thanked: 1 }),
  given("nadia-brooks", 100, "coverage-34", { engaged: 9 }),
  received("nadia-brooks", 70, "owner-35"),
  received("nadia-brooks", 15, "owner-48", { contacted: 5 }),
  // Heather (event planner, casual): one client who was planning a milestone party.
  received("heather-herrington", 150, "anniversary-29", { engaged: 25, value: 3000, thanked: 6 }),
  // Tom (peer attorney, opportunity): overflow work when we are booked.
  given("tom-alvarez", 160, "small-estate-28", { engaged: 10, notes: "Budget estate: not ours." }),
  given("tom-alvarez", 95, "overflow-35", { engaged: 10, notes: "We were booked for the month." }),
  received("tom-alvarez", 30, "trust-litigation-45")
]

const interactions: ReadonlyArray<InteractionSpec> = [
  // Carla: the full approach, then quarterly check-ins.
  touch("carla-chen", "one-on-one", 880, true, "Lunch: who she serves and what she needs."),
  touch("carla-chen", "ideal-client-shared", 880, true),
  touch("carla-chen", "check-in", 280, true),
  touch("carla-chen", "thank-you", 228, true, "Handwritten note for the business-sale client."),
  touch("carla-chen", "check-in", 190, true),
  touch("carla-chen", "event", 110, true, "Profitable Connections, Fort Lauderdale."),
  touch("carla-chen", "check-in", 25, true, "20-minute call."),
  // David: two positive touches, no one-on-one yet.
  touch("david-okafor", "event", 118, true, "Facilitated introduction at a Profitable Connections event."),
  touch("david-okafor", "outreach", 100, true, "Follow-up email after the event."),
  touch(
    "david-okafor",
    "shared-content",
    45,
    true,
    "Sent our article on buy-sell agreements for medical practices."
  ),
  // Priya: ideal clients shared months ago, then an honest conversation; still one-sided.
  touch("priya-shah", "one-on-one", 650, true),
  touch("priya-shah", "ideal-client-shared", 150, true, "Gave her our specific ideal client description."),
  touch("priya-shah", "check-in", 100, false, "Short call; she seemed distracted."),
  touch(
    "priya-shah",
    "honest-conversation",
    60,
    false,
    "Talked openly about referrals going one way; she will look for business owners."
  ),
  touch(
    "priya-shah",
    "note",
    12,
    undefined,
    "Most of her clients are salaried employees: maybe not our people."
  ),
  // James: core, with shared content between check-ins.
  touch("james-whitfield", "one-on-one", 560, true),
  touch("james-whitfield", "ideal-client-shared", 560, true),
  touch("james-whitfield", "check-in", 160, true),
  touch("james-whitfield", "thank-you", 87, true),
  touch("james-whitfield", "shared-content", 40, true, "Article on trusts for business sale proceeds."),
  // Marco: an event and a thank-you.
  touch("marco-rossi", "event", 140, true),
  touch("marco-rossi", "thank-you", 84, true),
  // Sofia: the last touch was long ago.
  touch("sofia-lee", "check-in", 420, true),
  // Nadia: the hub; thanked often.
  touch("nadia-brooks", "one-on-one", 600, true),
  touch("nadia-brooks", "event", 210, true, "Introduced us to two of her business-owner clients."),
  touch("nadia-brooks", "thank-you", 199, true),
  touch("nadia-brooks", "check-in", 130, true),
  // Heather: met one-on-one after the event she planned.
  touch("heather-herrington", "event", 280, true, "Our client appreciation evening."),
  touch("heather-herrington", "one-on-one", 250, true),
  touch("heather-herrington", "thank-you", 144, true),
  // Tom: one positive one-on-one; ideal clients not shared yet.
  touch("tom-alvarez", "outreach", 190, true, "Cold email about overflow work."),
  touch("tom-alvarez", "one-on-one", 170, true),
  // Greg: it did not click.
  touch("greg-palmer", "outreach", 320, true),
  touch("greg-palmer", "one-on-one", 300, false, "Pushed a paid referral agreement."),
  touch("greg-palmer", "note", 299, undefined, "Not a fit. Keep in touch, no reminders.")
]

const clients: ReadonlyArray<ClientSpec> = [
  { daysAgo: 330, source: { partner: "carla-chen" }, askedAbout: ["financial-planner"] },
  { daysAgo: 320, source: { contact: "Rosa Diaz (private banker, First Coast Bank)" } },
  { daysAgo: 300, source: { partner: "nadia-brooks" }, askedAbout: ["business-consultant"] },
  { daysAgo: 280, source: { other: "website" }, askedAbout: ["cpa"] },
  { daysAgo: 255, source: { partner: "james-whitfield" } },
  {
    daysAgo: 240,
    source: { contact: "Rosa Diaz (private banker, First Coast Bank)" },
    askedAbout: ["therapist"]
  },
  { daysAgo: 225, source: { partner: "carla-chen" } },
  {
    daysAgo: 210,
    source: { contact: "Pastor Mike Reyes (St. Luke's)" },
    askedAbout: ["financial-planner", "therapist"]
  },
  { daysAgo: 190, source: { partner: "nadia-brooks" }, askedAbout: ["hr-consultant"] },
  { daysAgo: 170, source: { contact: "Rosa Diaz (private banker, First Coast Bank)" } },
  { daysAgo: 150, source: { partner: "heather-herrington" } },
  { daysAgo: 130, source: { other: "bar association directory" }, askedAbout: ["real-estate-agent"] },
  { daysAgo: 110, source: { contact: "Dr. Lena Park (dentist)" }, askedAbout: ["therapist"] },
  { daysAgo: 85, source: { partner: "james-whitfield" }, askedAbout: ["insurance-agent"] },
  { daysAgo: 80, source: { partner: "marco-rossi" }, askedAbout: ["financial-planner"] },
  { daysAgo: 65, source: { contact: "Pastor Mike Reyes (St. Luke's)" } },
  { daysAgo: 40, source: { partner: "carla-chen" } },
  { daysAgo: 30, source: { partner: "marco-rossi" }, askedAbout: ["mortgage-lender"] },
  {
    daysAgo: 18,
    source: { contact: "Rosa Diaz (private banker, First Coast Bank)" },
    askedAbout: ["financial-planner"]
  },
  { daysAgo: 6, source: { other: "seminar" }, askedAbout: ["therapist", "cpa"] }
]

/**
 * A sample book as of `asOf`: the profile, ten partners (every quadrant of the matrix, a
 * persistent imbalance each way), their referrals and interactions, and the owner's clients.
 * Every record belongs to {@link Book.defaultBookId} and has revision 0.
 *
 * @since 0.2.0
 * @category constructors
 */
export const sampleBook = (asOf: Date): SampleBook => {
  const at = (daysAgo: number) => new Date(asOf.getTime() - daysAgo * DAY_MS)
  const pid = (id: string) => Partner.PartnerId.make(id)
  const pad = (n: number) => String(n).padStart(3, "0")

  const profile = Profile.Profile.make({
    book,
    name: "Elena Marquez",
    profession: profession("estate-planning-attorney"),
    idealClient: ownerIdealClient,
    revision: 0
  })

  return {
    profile,
    partners: partners.map((p) =>
      Partner.Partner.make({
        id: pid(p.id),
        book,
        name: p.name,
        organization: p.organization,
        profession: profession(p.profession),
        kind: p.kind ?? "complementary",
        stage: p.stage,
        ...(p.idealClient === undefined ? {} : { idealClient: p.idealClient }),
        ...(p.alignment === undefined ? {} : { alignment: p.alignment }),
        ...(p.cadenceDays === undefined ? {} : { cadenceDays: p.cadenceDays }),
        ...(p.knowLikeTrust === undefined
          ? {}
          : {
              knowLikeTrust: Partner.KnowLikeTrust.make({
                know: p.knowLikeTrust[0],
                like: p.knowLikeTrust[1],
                trust: p.knowLikeTrust[2]
              })
            }),
        tags: p.tags ?? [],
        notes: p.notes ?? "",
        createdAt: at(p.since),
        revision: 0
      })
    ),
    referrals: referrals.map((r, i) => {
      const date = at(r.daysAgo)
      const status: Referral.Status =
        r.engaged !== undefined
          ? "engaged"
          : r.notEngaged !== undefined
            ? "not-engaged"
            : r.contacted !== undefined
              ? "contacted"
              : "introduced"
      const changedAfter = r.engaged ?? r.notEngaged ?? r.contacted
      const changedAt = changedAfter === undefined ? undefined : at(r.daysAgo - changedAfter)
      return Referral.Referral.make({
        id: Referral.ReferralId.make(`r-${pad(i + 1)}`),
        book,
        partnerId: pid(r.partner),
        direction: r.direction,
        client: r.client,
        date,
        status,
        ...(changedAt === undefined ? {} : { statusChangedAt: changedAt }),
        ...(r.value === undefined ? {} : { value: r.value }),
        ...(r.thanked === undefined ? {} : { thankedAt: at(r.daysAgo - r.thanked) }),
        ...(r.loopClosed === undefined || changedAt === undefined
          ? {}
          : { loopClosedAt: new Date(changedAt.getTime() + r.loopClosed * DAY_MS) }),
        ...(r.fee === undefined ? {} : { fee: r.fee }),
        ...(r.notes === undefined ? {} : { notes: r.notes }),
        revision: 0
      })
    }),
    interactions: interactions.map((x, i) =>
      Interaction.Interaction.make({
        id: Interaction.InteractionId.make(`i-${pad(i + 1)}`),
        book,
        partnerId: pid(x.partner),
        kind: x.kind,
        date: at(x.daysAgo),
        ...(x.positive === undefined ? {} : { positive: x.positive }),
        ...(x.notes === undefined ? {} : { notes: x.notes }),
        revision: 0
      })
    ),
    clients: clients.map((c, i) =>
      Client.Client.make({
        id: Client.ClientId.make(`c-${pad(i + 1)}`),
        book,
        label: `client-${pad(i + 1)}`,
        acquiredAt: at(c.daysAgo),
        source:
          "partner" in c.source
            ? { _tag: "partner", partnerId: pid(c.source.partner) }
            : "contact" in c.source
              ? { _tag: "contact", name: c.source.contact }
              : { _tag: "other", description: c.source.other },
        askedAbout: (c.askedAbout ?? []).map(profession),
        revision: 0
      })
    )
  }
}
