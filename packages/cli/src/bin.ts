#!/usr/bin/env node
/**
 * The `partnerbook` executable. It loads the bundled command (main.cjs) through V8's code
 * cache: the first run compiles it and stores the compiled code in the temporary folder; the
 * runs after that skip most of the compilation, which is most of a start's cost. A cache made
 * for other sources or another Node is ignored (the file name holds a hash of both, and V8
 * rejects data that does not match the source).
 *
 * @since 0.2.0
 */
import { createHash } from "node:crypto"
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir, userInfo } from "node:os"
import { dirname, join } from "node:path"
import { Script } from "node:vm"

const file = join(__dirname, "main.cjs")
const source = readFileSync(file, "utf8")
const key = createHash("sha256")
  .update(process.version)
  .update(process.arch)
  .update(source)
  .digest("hex")
  .slice(0, 24)
const user = (() => {
  try {
    return String(userInfo().uid)
  } catch {
    return "user"
  }
})()
const cacheFile = join(tmpdir(), `partnerbook-${user}-${key}.v8cache`)
let cached: Buffer | undefined
try {
  cached = readFileSync(cacheFile)
} catch {
  cached = undefined
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: file,
  ...(cached === undefined ? {} : { cachedData: cached })
})
if (cached === undefined || script.cachedDataRejected === true) {
  // After the run, so that the functions compiled lazily while running are in the cache too.
  process.once("exit", () => {
    try {
      const temp = `${cacheFile}.${process.pid}`
      writeFileSync(temp, script.createCachedData())
      renameSync(temp, cacheFile)
    } catch {
      // No cache: the next start compiles again.
    }
  })
}
const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
