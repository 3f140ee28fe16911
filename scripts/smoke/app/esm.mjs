// The packages from ESM, as installed from their tarballs by npm.
import assert from "node:assert/strict"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Partnerbook, PartnerbookClient, Store } from "@partnerbook/core"
import { JsonStore } from "@partnerbook/store-json"
import { SqliteStore } from "@partnerbook/store-sqlite"
import { Effect, Layer } from "effect"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-consumer-"))
const tagOf = async (promise) => {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof Error, `rejected with a non-Error: ${String(error)}`)
    return { tag: error._tag, message: error.message }
  }
  assert.fail("expected a rejection")
}

try {
  // SQLite in a folder that does not exist yet.
  const sqlite = await PartnerbookClient.open({
    store: SqliteStore.layer({ filename: path.join(dir, "data", "nested", "crm.db") })
  })
  const book = sqlite.book("alice")
  const cpa = await book.addPartner({ name: "Dana Smith", profession: "cpa", alignment: 0.8 })
  await book.receiveReferral({ partnerId: cpa.id, client: "client-17", date: "2026-11-02" })
  const matrix = await book.matrix({ asOf: "2026-11-23" })
  assert.equal(matrix.length, 1)

  // A decoded document and parsed JSON both import.
  const document = await book.exportBook()
  const json = await PartnerbookClient.open({
    store: JsonStore.layer({ directory: path.join(dir, "books") })
  })
  await json.book("alice").importBook(document)
  await json.book("bob").importBook(JSON.parse(JSON.stringify(document)))
  assert.deepEqual(
    (await json.book("bob").listPartners()).map((p) => p.name),
    ["Dana Smith"]
  )

  // Readable messages.
  const badDate = await tagOf(book.receiveReferral({ partnerId: cpa.id, date: "next tuesday" }))
  assert.equal(badDate.tag, "InvalidInput")
  assert.match(badDate.message, /expected a date like 2026-11-23/)

  // After close: an Error with a _tag.
  await json.close()
  await sqlite.close()
  const closed = await tagOf(book.listPartners())
  assert.equal(typeof closed.tag, "string", "a call after close() rejects with a tagged Error")

  // The Effect API with the application's own `effect` (one copy: tags and layers match).
  const placements = await Effect.runPromise(
    Effect.gen(function* () {
      const pb = yield* Partnerbook.Partnerbook
      const partner = yield* pb.addPartner("default", { name: "Lee", profession: "attorney", alignment: 0.9 })
      yield* pb.receiveReferral("default", { partnerId: partner.id, date: "2026-11-02" })
      return yield* pb.matrix("default", { asOf: "2026-11-23" })
    }).pipe(Effect.provide(Partnerbook.layer.pipe(Layer.provide(Store.layerMemory))))
  )
  assert.equal(placements.length, 1)
  console.log("esm: ok")
} finally {
  fs.rmSync(dir, { recursive: true, force: true })
}
