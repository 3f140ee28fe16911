import { Book, Interaction, Partner, Profession, Profile, Referral, type Store } from "@partnerbook/core"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { afterAll } from "@effect/vitest"
import * as NodePath from "@effect/platform-node/NodePath"
import { Effect, Layer, ManagedRuntime } from "effect"
import { createHash } from "node:crypto"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { JsonStore } from "../src/index.js"

const created: Array<string> = []
// After each test file (vitest may end its worker processes without an "exit" event).
afterAll(() => {
  for (const dir of created.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      // a mount point still in use: leave it
    }
  }
})

/** A new empty folder, removed after the test file. */
export const tempDir = (prefix = "pb-json-"): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  created.push(dir)
  return dir
}

export const book = Book.BookId.make("default")

export const partner = (id: string, over: Partial<Partner.Partner> = {}, inBook: Book.BookId = book) =>
  Partner.Partner.make({
    id: Partner.PartnerId.make(id),
    book: inBook,
    name: `Partner ${id}`,
    profession: Profession.ProfessionId.make("cpa"),
    kind: "complementary",
    stage: "identified",
    tags: [],
    notes: "",
    createdAt: new Date("2024-01-01T00:00:00.000Z"),
    revision: 0,
    ...over
  })

export const referral = (
  id: string,
  partnerId: string,
  over: Partial<Referral.Referral> = {},
  inBook = book
) =>
  Referral.Referral.make({
    id: Referral.ReferralId.make(id),
    book: inBook,
    partnerId: Partner.PartnerId.make(partnerId),
    direction: "given",
    client: `client of ${id}`,
    date: new Date("2024-03-01T00:00:00.000Z"),
    status: "introduced",
    revision: 0,
    ...over
  })

export const interaction = (id: string, partnerId: string, inBook = book) =>
  Interaction.Interaction.make({
    id: Interaction.InteractionId.make(id),
    book: inBook,
    partnerId: Partner.PartnerId.make(partnerId),
    kind: "check-in",
    date: new Date("2024-03-02T00:00:00.000Z"),
    revision: 0
  })

export const profile = (inBook = book) =>
  Profile.Profile.make({
    book: inBook,
    name: "Me",
    profession: Profession.ProfessionId.make("attorney"),
    revision: 0
  })

/** A runtime over a JSON store in `directory`; dispose it to close the store. */
export const runtime = (directory: string, config: Partial<JsonStore.JsonStoreConfig> = {}) =>
  ManagedRuntime.make(JsonStore.layer({ directory, ...config }) as Layer.Layer<Store.Store, unknown>)

/** Runs one effect against a fresh store over `directory` (opened and closed around it). */
export const withStore = <A, E>(
  directory: string,
  f: (store: Store.Store) => Effect.Effect<A, E>,
  config: Partial<JsonStore.JsonStoreConfig> = {}
): Promise<A> =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(JsonStore.make({ directory, ...config }), f)).pipe(
      Effect.provide(nodeServices)
    )
  )

export const nodeServices = Layer.merge(NodeFileSystem.layer, NodePath.layer)

export const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex")

export const tempFiles = (directory: string): Array<string> =>
  readdirSync(directory).filter((name) => name.endsWith(".tmp"))

export const storeFile = (directory: string, id: Book.BookId = book) =>
  join(directory, JsonStore.fileName(id))

/** Every file of a folder, by name and SHA-256 of its bytes. */
export const folderFingerprint = (directory: string): string =>
  readdirSync(directory)
    .sort()
    .map((name) => `${name}:${sha256(join(directory, name))}`)
    .join("\n")
