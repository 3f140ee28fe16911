/**
 * Embedding Partnerbook in a CRM that does not use Effect: plain async/await over a SQLite
 * file. Two users, each with their own book in the same database; partners and referrals
 * logged as the CRM's events arrive; the Referral Partner Matrix for each user.
 *
 * Run it with `pnpm exec tsx --conditions=@partnerbook/source examples/crm.ts [FILE]`. Without
 * FILE it works in a temporary folder and removes it afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PartnerbookClient } from "@partnerbook/core"
import { SqliteStore } from "@partnerbook/store-sqlite"
import { heading, table } from "./table.js"

const asOf = "2026-11-23"

/** What the CRM knows: its users and the events it recorded. */
const users = {
  "user-17": {
    profile: { name: "Maria Lopez", profession: "estate-planning-attorney" },
    partners: [
      { name: "Dana Smith", profession: "cpa", alignment: 0.85, organization: "Smith & Co CPAs" },
      { name: "Raj Patel", profession: "financial-advisor", alignment: 0.7 },
      { name: "Tom Becker", profession: "insurance-agent", alignment: 0.2 }
    ],
    events: [
      ["received", "Dana Smith", "2026-01-12"],
      ["given", "Dana Smith", "2026-03-03"],
      ["received", "Dana Smith", "2026-06-21"],
      ["received", "Dana Smith", "2026-10-02"],
      ["given", "Raj Patel", "2026-09-14"],
      ["received", "Tom Becker", "2026-02-08"],
      ["received", "Tom Becker", "2026-05-19"],
      ["received", "Tom Becker", "2026-08-30"],
      ["received", "Tom Becker", "2026-11-04"]
    ]
  },
  "user-42": {
    profile: { name: "Sam Reed", profession: "real-estate-agent" },
    partners: [
      { name: "Lena Fox", profession: "mortgage-lender", alignment: 0.9 },
      { name: "Omar Haddad", profession: "family-law-attorney", alignment: 0.3 }
    ],
    events: [
      ["given", "Lena Fox", "2026-04-01"],
      ["received", "Lena Fox", "2026-07-15"]
    ]
  }
} as const

const main = async (): Promise<void> => {
  const given = process.argv[2]
  const folder = given === undefined ? mkdtempSync(join(tmpdir(), "partnerbook-crm-")) : undefined
  const filename = given ?? join(folder!, "crm.db")
  const partnerbook = await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
  try {
    for (const [userId, user] of Object.entries(users)) {
      const book = partnerbook.book(userId)
      await book.setProfile(user.profile)
      const ids = new Map<string, string>()
      for (const partner of user.partners) {
        const added = await book.addPartner({ ...partner, createdAt: "2025-12-01" })
        ids.set(partner.name, added.id)
      }
      for (const [direction, name, date] of user.events) {
        const input = { partnerId: ids.get(name)!, client: `crm-contact-${date}`, date }
        const referral =
          direction === "given" ? await book.giveReferral(input) : await book.receiveReferral(input)
        if (direction === "received") await book.thankReferral(referral.id, date)
      }
    }

    // A bad call is an ordinary rejected promise with a typed, readable error.
    try {
      await partnerbook.book("user-17").giveReferral({ partnerId: "no-such-partner", date: asOf })
    } catch (error) {
      console.log(
        `A bad call fails cleanly: ${(error as { _tag: string })._tag}: ${(error as Error).message}\n`
      )
    }

    console.log(
      `SQLite file: ${given ?? "(a temporary file)"}; books: ${(await partnerbook.books()).join(", ")}\n`
    )
    for (const userId of Object.keys(users)) {
      const book = partnerbook.book(userId)
      const profile = await book.getProfile()
      const placements = await book.matrix({ asOf })
      console.log(heading(`Matrix for ${userId} (${profile?.name ?? "?"}) as of ${asOf}`))
      console.log(
        table(
          [
            "Partner",
            "Quadrant",
            { header: "Alignment", align: "right" },
            { header: "Given", align: "right" },
            { header: "Received", align: "right" },
            "First action"
          ],
          placements.map((p) => [
            p.name,
            p.quadrant,
            p.alignment === null ? "unknown" : p.alignment.toFixed(2),
            p.given,
            p.received,
            p.actions[0] ?? ""
          ])
        )
      )
      console.log()
    }
  } finally {
    await partnerbook.close()
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(
    error instanceof Error ? `${(error as { _tag?: string })._tag ?? error.name}: ${error.message}` : error
  )
  process.exit(1)
})
