/**
 * The CRM of `crm.ts`, on PostgreSQL: plain async/await, two users, each with their own book,
 * in the CRM's own database. Partnerbook's tables live in a schema of their own, so they sit
 * beside the CRM's tables without touching them; several app instances can open the store at
 * once (the schema is migrated once, under an advisory lock).
 *
 * Run it with `pnpm exec tsx --conditions=@partnerbook/source examples/crm-postgres.ts [URL]`.
 * The URL defaults to `PARTNERBOOK_POSTGRES_URL` (or the tests' `PARTNERBOOK_TEST_POSTGRES_URL`);
 * `scripts/postgres.sh start` starts a local server and prints one. Without `PARTNERBOOK_SCHEMA`
 * the example works in a temporary schema and drops it afterwards.
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import { PartnerbookClient } from "@partnerbook/core"
import { PostgresStore } from "@partnerbook/store-postgres"
import { Effect, Redacted } from "effect"
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

/** Drops the example's temporary schema (the store never drops anything itself). */
const dropSchema = (url: string, schema: string) =>
  Effect.runPromise(
    Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).pipe(
      Effect.provide(PgClient.layer({ url: Redacted.make(url) }))
    )
  )

const main = async (): Promise<void> => {
  const url =
    process.argv[2] ?? process.env.PARTNERBOOK_POSTGRES_URL ?? process.env.PARTNERBOOK_TEST_POSTGRES_URL
  if (url === undefined) {
    console.error(
      "Usage: crm-postgres.ts URL (or set PARTNERBOOK_POSTGRES_URL); scripts/postgres.sh start prints one"
    )
    process.exit(2)
  }
  const temporary = process.env.PARTNERBOOK_SCHEMA === undefined
  const schema = process.env.PARTNERBOOK_SCHEMA ?? `partnerbook_example_${process.pid}`
  const partnerbook = await PartnerbookClient.open({ store: PostgresStore.layer({ url, schema }) })
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
      `PostgreSQL: ${PostgresStore.redact(url)}, schema ${schema}; books: ${(await partnerbook.books()).join(", ")}\n`
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
    if (temporary) await dropSchema(url, schema)
  }
}

main().catch((error) => {
  console.error(
    error instanceof Error ? `${(error as { _tag?: string })._tag ?? error.name}: ${error.message}` : error
  )
  process.exit(1)
})
