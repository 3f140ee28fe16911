/**
 * Syncing a CRM with a book, in plain async/await: the CRM's contacts become partners (keyed
 * by the CRM's own ids), its webhook events become referrals and interactions (a retried
 * webhook is harmless), a duplicate contact is merged, a stale edit is refused, and every
 * change goes back to the CRM through the book's change feed.
 *
 * Run it with `pnpm exec tsx --conditions=@partnerbook/source examples/crm-sync.ts`.
 */
import { PartnerbookClient } from "@partnerbook/core"

// #region data
/** What the CRM holds: contacts with its own ids, and the webhook events it sends. */
const contacts = [
  { id: "crm-contact-991", name: "Dana Smith", profession: "cpa", company: "Smith & Co" },
  { id: "crm-contact-992", name: "José Núñez", profession: "financial-advisor" },
  { id: "crm-contact-993", name: "Dana Smith", profession: "cpa" } // the same person, entered twice
]
const webhooks = [
  {
    event: "evt-1",
    type: "referral.received",
    contact: "crm-contact-991",
    date: "2026-03-02",
    client: "deal-17"
  },
  {
    event: "evt-1",
    type: "referral.received",
    contact: "crm-contact-991",
    date: "2026-03-02",
    client: "deal-17"
  },
  { event: "evt-2", type: "meeting.held", contact: "crm-contact-992", date: "2026-03-05" },
  {
    event: "evt-3",
    type: "referral.given",
    contact: "crm-contact-993",
    date: "2026-03-09",
    client: "deal-18"
  }
] as const
// #endregion data

const client = await PartnerbookClient.open()
const book = client.book("user-42")
await book.setProfile({
  name: "Maria Lopez",
  profession: "estate-planning-attorney",
  timeZone: "America/New_York"
})

// #region contacts
// Contacts in: `externalId` makes the import safe to run again (the same fields give the same partner).
for (let run = 1; run <= 2; run++) {
  for (const c of contacts) {
    await book.addPartner({
      name: c.name,
      profession: c.profession,
      ...(c.company === undefined ? {} : { organization: c.company }),
      externalId: c.id
    })
  }
}
console.log(`partners after importing the contacts twice: ${(await book.listPartners()).length}`)
// #endregion contacts

// #region webhooks
// Webhook events in: the event id is the record's externalId, so a retried delivery logs nothing twice.
for (const w of webhooks) {
  const partner = await book.findByExternalId("partner", w.contact)
  if (partner === undefined) throw new Error(`unknown contact ${w.contact}`)
  if (w.type === "meeting.held") {
    await book.logInteraction({
      partnerId: partner.id,
      kind: "one-on-one",
      date: w.date,
      externalId: w.event
    })
  } else {
    const log = w.type === "referral.received" ? book.receiveReferral : book.giveReferral
    const r = await log({ partnerId: partner.id, client: w.client, date: w.date, externalId: w.event })
    console.log(`${w.event} ${w.type}: referral dated ${r.date.toISOString()} (midnight in New York)`)
  }
}
console.log(
  `referrals: ${(await book.listReferrals()).length}, interactions: ${(await book.listInteractions()).length}`
)
// #endregion webhooks

// #region feed
/** The CRM side of the sync: the last sequence it applied, and the CRM id of each record it saw. */
let cursor = 0
const crmIds = new Map<string, string>()
const pushToCrm = async (label: string, summary = false) => {
  const { changes, last } = await book.changes({ after: cursor })
  // A put carries the record's id and revision: read the records to learn their CRM ids.
  const records = [
    ...(await book.listPartners()),
    ...(await book.listReferrals()),
    ...(await book.listInteractions())
  ]
  for (const r of records) if (r.externalId !== undefined) crmIds.set(r.id, r.externalId)
  console.log(`${label}: ${changes.length} change(s) after ${cursor}, up to ${last}`)
  if (summary) {
    const kinds = new Map<string, number>()
    for (const c of changes) kinds.set(`${c.op} ${c.entity}`, (kinds.get(`${c.op} ${c.entity}`) ?? 0) + 1)
    console.log(`  ${[...kinds].map(([k, n]) => `${n} x ${k}`).join(", ")}`)
    cursor = last
    return
  }
  for (const change of changes) {
    const crmId = change.entity === "profile" ? "(profile)" : (crmIds.get(change.id) ?? "(no CRM id)")
    const revision = change.revision === undefined ? "" : ` r${change.revision}`
    console.log(`  #${change.sequence} ${change.op} ${change.entity} ${crmId}${revision}`)
  }
  cursor = last
}
await pushToCrm("first sync")
// #endregion feed

// #region merge
// The duplicate contact: its history moves to the kept partner, which keeps its own fields.
const keep = await book.findByExternalId("partner", "crm-contact-991")
const duplicate = await book.findByExternalId("partner", "crm-contact-993")
if (keep === undefined || duplicate === undefined) throw new Error("contacts missing")
const merged = await book.mergePartners(keep.id, duplicate.id)
console.log(
  `merged: ${merged.name} (${merged.organization}), referrals: ${(await book.listReferrals({ partnerId: merged.id })).length}`
)

// Two users edit the kept partner from the same screen: the second save is refused, not lost.
await book.updatePartner(merged.id, { notes: "prefers email" }, { expectedRevision: merged.revision })
try {
  await book.updatePartner(merged.id, { notes: "call on Fridays" }, { expectedRevision: merged.revision })
} catch (error) {
  console.log(`second editor: ${(error as { _tag: string })._tag}`)
}
await pushToCrm("second sync")
// #endregion merge

// #region search
const found = await book.searchPartners({ text: "jose", limit: 10 })
console.log(`search "jose": ${found.items.map((p) => p.name).join(", ")}`)
const erased = await book.erase()
console.log(`erased: ${JSON.stringify(erased)}`)
await pushToCrm("after the erasure request", true)
// #endregion search

await client.close()
