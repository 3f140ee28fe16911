import { Balance, Book, Interaction, Partner, Profession, Referral } from "@partnerbook/core"

// #region assess
// assess: one pair of counts, default rules (judge from 4 referrals, flag more than 2 times).
console.log(Balance.assess({ given: 5, received: 2 }))
console.log(Balance.assess({ given: 4, received: 2 }).state) // exactly twice: still balanced
console.log(Balance.assess({ given: 3, received: 0 }).state) // too little to judge
try {
  Balance.assess({ given: 2.5, received: 1 })
} catch (error) {
  console.log(error instanceof Error, (error as { _tag?: string })._tag, (error as Error).message)
}
// #endregion

// Helpers that make records for the example; a real program decodes them from a store.
const asOf = new Date("2026-11-23")
const daysAgo = (days: number) => new Date(asOf.getTime() - days * 86_400_000)
const book = Book.defaultBookId
const partner = (id: string, name: string) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book,
    name,
    profession: Profession.ProfessionId.make("cpa"),
    kind: "complementary",
    stage: "active",
    tags: [],
    notes: "",
    createdAt: daysAgo(800),
    revision: 0
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

// #region report
// report: per partner over 365 days, and the same at 91 and 182 days before asOf.
const partners = [partner("priya", "Priya Shah"), partner("david", "David Okafor")]
const referrals = [
  // Priya: we have sent her clients all year and before; one came back.
  ...[40, 130, 210, 290, 360, 420, 500].map((d) => referral("priya", "given", d)),
  referral("priya", "received", 250),
  // David: a recent burst in one direction.
  ...[10, 25, 50, 70].map((d) => referral("david", "given", d))
]
// We shared our ideal client description with Priya 150 days ago.
const interactions = [
  Interaction.Interaction.make({
    id: Interaction.InteractionId.make("i-1"),
    book,
    partnerId: Partner.PartnerId.make("priya"),
    kind: "ideal-client-shared",
    date: daysAgo(150),
    revision: 0
  })
]

for (const r of Balance.report({ partners, referrals, interactions, asOf })) {
  const history = r.history.map((h) => `${h.asOf.toISOString().slice(0, 10)} ${h.state}`).join(", ")
  console.log(`${r.name}: ${r.state} (${r.given} given, ${r.received} received), persistent: ${r.persistent}`)
  console.log(`  history: ${history}`)
  console.log(`  advice: ${r.advice}: ${r.message}`)
}
// #endregion
