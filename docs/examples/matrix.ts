import { Book, IdealClientProfile, Matrix, Partner, Profession, Profile, Referral } from "@partnerbook/core"

// #region classify
// classify: one point, default thresholds (alignment 0.5, activity 4 referrals a year).
console.log(Matrix.classify({ alignment: 0.8, activity: 1 }))
console.log(Matrix.classify({ alignment: 0.8, activity: 1 }, { activity: 1 }))
console.log(Matrix.classify({ alignment: 0.5, activity: 4 })) // on the threshold: high
// #endregion

// #region alignment
// Alignment from two ideal client profiles: the overlap of each facet both fill, averaged.
const owner = IdealClientProfile.make("Business owners in South Florida planning a business sale", {
  regions: ["South Florida"],
  clientTypes: ["business owners", "families"],
  lifeEvents: ["business sale"]
})
const advisor = IdealClientProfile.make(
  "Retirement planning for business owners in South Florida within five years of selling their company",
  {
    regions: ["South Florida"],
    clientTypes: ["business owners"],
    lifeEvents: ["business sale", "retirement"]
  }
)
const overlap = IdealClientProfile.alignment(owner, advisor)
console.log(
  overlap.value?.toFixed(2),
  overlap.byFacet.map((f) => `${f.facet} ${f.overlap.toFixed(2)}`).join(", ")
)
// #endregion

// Helpers that make records for the example; a real program decodes them from a store.
const asOf = new Date("2026-11-23")
const daysAgo = (days: number) => new Date(asOf.getTime() - days * 86_400_000)
const book = Book.defaultBookId
const partner = (id: string, name: string, profession: string, more: { alignment?: number } = {}) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book,
    name,
    profession: Profession.ProfessionId.make(profession),
    kind: "complementary",
    stage: "active",
    tags: [],
    notes: "",
    createdAt: daysAgo(800),
    revision: 0,
    ...more
  })
let n = 0
const referral = (partnerId: string, direction: Referral.Direction, days: number) =>
  Referral.Referral.make({
    id: Referral.ReferralId.make(`r-${++n}`),
    book,
    partnerId: Partner.PartnerId.make(partnerId),
    direction,
    client: `client-${n}`,
    date: daysAgo(days),
    status: "introduced",
    revision: 0
  })

// #region build
// build: every partner placed, with the numbers and the reasons.
const partners = [
  partner("carla", "Carla Chen", "cpa", { alignment: 0.9 }),
  Partner.Partner.make({
    ...partner("james", "James Whitfield", "financial-advisor"),
    idealClient: advisor
  }),
  partner("nadia", "Nadia Brooks", "insurance-agent"),
  partner("sofia", "Sofia Lee", "mortgage-lender", { alignment: 0.2 })
]
const referrals = [
  ...[20, 100, 180].map((d) => referral("carla", "given", d)),
  ...[40, 150].map((d) => referral("carla", "received", d)),
  referral("james", "given", 60),
  ...[10, 90, 200, 300].map((d) => referral("nadia", "received", d)),
  referral("sofia", "received", 400) // outside the 365-day window: does not count
]
const profile = Profile.Profile.make({
  book,
  name: "Elena Marquez",
  profession: Profession.ProfessionId.make("estate-planning-attorney"),
  idealClient: owner,
  revision: 0
})

for (const p of Matrix.build({ partners, referrals, asOf, profile })) {
  console.log(`${p.name}: ${p.quadrant}`)
  for (const reason of p.reasons) console.log(`  - ${reason}`)
}
console.log("What to do with an opportunity:")
for (const action of Matrix.actions.opportunity) console.log(`  - ${action}`)
// #endregion
