// Run before better-sqlite3's native module is built (npm install --ignore-scripts, as pnpm 10
// does by default): opening a SQLite store must say how to allow the build.
import assert from "node:assert/strict"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { PartnerbookClient } from "@partnerbook/core"
import { SqliteStore } from "@partnerbook/store-sqlite"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-native-"))
const filename = path.join(dir, "crm.db")
try {
  await PartnerbookClient.open({ store: SqliteStore.layer({ filename }) })
  assert.fail("opened SQLite without its native module")
} catch (error) {
  assert.ok(error instanceof Error)
  assert.equal(error._tag, "StoreUnavailable")
  assert.match(error.message, /pnpm approve-builds/)
  assert.match(error.message, /onlyBuiltDependencies/)
  console.log("native module missing: ok")
} finally {
  fs.rmSync(dir, { recursive: true, force: true })
}
