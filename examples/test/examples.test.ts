/**
 * Runs every example script as a child process, as a user would, and checks that it exits
 * cleanly and prints something meaningful. Scripts are discovered by listing `examples/`, so a
 * new script is covered as soon as it is added; modules that only export helpers are listed in
 * `modules` below.
 */
import { execFile } from "node:child_process"
import { readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const run = promisify(execFile)
const examples = join(dirname(fileURLToPath(import.meta.url)), "..")
const root = join(examples, "..")

/** Files in `examples/` that are modules imported by the scripts, not scripts themselves. */
const modules = new Set(["table.ts"])

const scripts = readdirSync(examples)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !modules.has(f))
  .sort()

/** What each script must print, beyond exiting with 0 and printing something. */
const expectations: Record<string, ReadonlyArray<string | RegExp>> = {
  "demo.ts": [
    "as of 2026-11-23",
    "Referral Partner Matrix",
    /^CORE\b/m,
    /^OPPORTUNITY\b/m,
    /^GENEROUS\b/m,
    /^CASUAL\b/m,
    "alignment unknown",
    "Balance: given vs received",
    "giving more",
    "receiving more",
    // every rule, through the service
    "Agenda: what is due this week",
    /^ {2}thank-you {2,}Nadia Brooks/m,
    /^ {2}close-loop\b/m,
    /^ {2}share-ideal-client\b/m,
    "No items for Greg Palmer",
    "Outreach: this week's rotation",
    "week 1 of 5",
    /^ {4}Sofia Lee {2,}casual {2,}2025-09-29/m,
    "Health: a score and a light per partner",
    /^ {2}Sofia Lee .* red /m,
    /^ {2}Tom Alvarez .* yellow /m,
    /^ {2}Carla Chen .* green /m,
    "1.00 x 30",
    "Progression: the four steps, and know/like/trust",
    /^ {2}Priya Shah {2,}active {2,}ideal-clients-shared/m,
    "reconnect",
    "Portfolio: 5 to 10 active partnerships",
    "6 active partnerships: within the healthy 5 to 10.",
    "starting with David Okafor",
    "Discovery: who to look for",
    "Compliance: referral fees to review",
    /^ {2}\d{4}-\d\d-\d\d {2}Marco Rossi {2,}250 {2}estate-planning-attorney, real-estate-agent/m,
    "Who else serves my ideal client?",
    "Who do my clients ask me about?",
    "Who is already sending me clients, even informally?",
    /^ {5}Financial planner {2,}4 /m,
    /^ {5}Rosa Diaz \(private banker, First Coast Bank\) {2,}4 /m
  ],
  "crm.ts": [
    "A bad call fails cleanly: NotFound",
    "books: user-17, user-42",
    "Matrix for user-17",
    "Matrix for user-42",
    /^Dana Smith {2,}core\b/m,
    "opportunity",
    "generous"
  ],
  "crm-postgres.ts": [
    "A bad call fails cleanly: NotFound",
    "books: user-17, user-42",
    "Matrix for user-17",
    /^Dana Smith {2,}core\b/m,
    "generous"
  ],
  "crm-sync.ts": [
    "partners after importing the contacts twice: 3",
    "referral dated 2026-03-02T05:00:00.000Z (midnight in New York)",
    "referrals: 2, interactions: 1",
    "  #5 put referral evt-1 r1",
    "second editor: RevisionConflict",
    "  #9 delete partner crm-contact-993",
    'search "jose": José Núñez',
    "after the erasure request: 6 change(s) after 11, up to 17"
  ],
  "introductions.ts": ["Attendees", "Round 1", "Round 2", "Round 3", "Totals", "maximum weight matching"]
}

const runScript = (file: string) =>
  run(process.execPath, ["--conditions=@partnerbook/source", "--import", "tsx", join(examples, file)], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024
  })

describe("example scripts", () => {
  it("finds the scripts", () => {
    expect(scripts).toContain("demo.ts")
  })

  // The PostgreSQL example needs a server: CI starts one (.ci/run) and sets its URL; locally,
  // without one, that example is skipped (scripts/postgres.sh start gives one).
  const noPostgres =
    process.env.PARTNERBOOK_TEST_POSTGRES_URL === undefined &&
    process.env.PARTNERBOOK_POSTGRES_URL === undefined
  for (const file of scripts) {
    const skip = file === "crm-postgres.ts" && noPostgres && process.env.CI !== "true"
    it.skipIf(skip)(
      `${file} runs and exits with 0${skip ? " (skipped: no PARTNERBOOK_TEST_POSTGRES_URL)" : ""}`,
      async () => {
        // execFile rejects (with stdout and stderr attached) when the exit code is not 0.
        const { stdout } = await runScript(file)
        expect(stdout.trim().length).toBeGreaterThan(0)
        for (const expected of expectations[file] ?? []) {
          if (typeof expected === "string") expect(stdout).toContain(expected)
          else expect(stdout).toMatch(expected)
        }
      }
    )
  }
})
