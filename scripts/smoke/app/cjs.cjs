// The packages from CommonJS, as installed from their tarballs by npm.
const assert = require("node:assert/strict")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const { PartnerbookClient, Matrix } = require("@partnerbook/core")
const { JsonStore } = require("@partnerbook/store-json")
const { SqliteStore } = require("@partnerbook/store-sqlite")

const main = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-consumer-"))
  try {
    assert.equal(Matrix.classify({ alignment: 0.8, activity: 1 }), "opportunity")
    for (const store of [
      SqliteStore.layer({ filename: path.join(dir, "db", "crm.db") }),
      JsonStore.layer({ directory: path.join(dir, "books") })
    ]) {
      const client = await PartnerbookClient.open({ store })
      const book = client.book("alice")
      const partner = await book.addPartner({ name: "Dana Smith", profession: "cpa" })
      await book.giveReferral({ partnerId: partner.id, date: "2026-11-02" })
      assert.deepEqual(
        (await book.listPartners()).map((p) => p.name),
        ["Dana Smith"]
      )
      await client.close()
    }
    console.log("cjs: ok")
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
