// The dependency budget: what `npm install <store> effect@3` puts on a user's disk, per store.
// Packs core and the stores, installs each store's tarball (with core's and effect@3) into its
// own new project (install scripts off: sizes are of what is downloaded), and reports the
// number of packages, the installed size, and the native packages. Fails when
// @partnerbook/store-json or @partnerbook/store-postgres (documented as having no native
// dependency: pg is pure JavaScript) pulls a required native package or anything of
// @effect/platform-node, @effect/cluster, @effect/rpc, @effect/workflow or kubernetes-types;
// an optional native package (skipped by `npm install --omit=optional`)
// is reported, not failed.
// Usage: node scripts/ci/dependency-budget.mjs (after `pnpm build`)
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")
const work = fs.mkdtempSync(path.join(os.tmpdir(), "partnerbook-budget-"))
const forbidden =
  /^(@effect\/platform-node(-shared)?|@effect\/cluster|@effect\/rpc|@effect\/workflow|kubernetes-types)$/
const rules = {
  "@partnerbook/store-json": { native: false },
  "@partnerbook/store-sqlite": { native: true },
  "@partnerbook/store-postgres": { native: false }
}

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

const sizeOf = (dir) => {
  let total = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) total += sizeOf(full)
    else if (entry.isFile()) total += fs.statSync(full).size
  }
  return total
}

const hasNodeFile = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
    if (e.isDirectory()) return e.name !== "node_modules" && hasNodeFile(path.join(dir, e.name))
    return e.name.endsWith(".node")
  })

/** A package that compiles or ships a native module. */
const isNative = (dir, manifest) =>
  fs.existsSync(path.join(dir, "binding.gyp")) ||
  manifest.gypfile === true ||
  /node-gyp|prebuild|node-gyp-build/.test(
    `${manifest.scripts?.install ?? ""} ${manifest.scripts?.postinstall ?? ""}`
  ) ||
  hasNodeFile(dir)

try {
  const tarballs = path.join(work, "tarballs")
  fs.mkdirSync(tarballs)
  for (const p of ["core", "store-sqlite", "store-json", "store-postgres"]) {
    run("pnpm", ["pack", "--pack-destination", tarballs], path.join(root, "packages", p))
  }
  const tarball = (name) =>
    path.join(
      tarballs,
      fs.readdirSync(tarballs).find((f) => f.startsWith(`partnerbook-${name}-`))
    )

  let failed = false
  const rows = []
  for (const name of ["core", "store-sqlite", "store-json", "store-postgres"]) {
    const project = path.join(work, name)
    fs.mkdirSync(project)
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "budget", private: true }))
    const specs = [...new Set([tarball("core"), tarball(name)]), "effect@3"]
    run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...specs],
      project
    )
    const lock = JSON.parse(fs.readFileSync(path.join(project, "package-lock.json"), "utf8"))
    const packages = Object.entries(lock.packages).filter(([where]) => where.startsWith("node_modules/"))
    const native = []
    const banned = []
    for (const [where, entry] of packages) {
      const dir = path.join(project, where)
      if (!fs.existsSync(path.join(dir, "package.json"))) continue // an optional package for another platform
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
      if (forbidden.test(manifest.name)) banned.push(manifest.name)
      if (isNative(dir, manifest)) native.push({ name: manifest.name, optional: entry.optional === true })
    }
    const bytes = sizeOf(path.join(project, "node_modules"))
    const pkg = `@partnerbook/${name}`
    rows.push({
      package: pkg,
      packages: packages.length,
      "installed MB": (bytes / 1024 / 1024).toFixed(1),
      native: native.map((n) => (n.optional ? `${n.name} (optional)` : n.name)).join(", ") || "none",
      forbidden: banned.join(", ") || "none"
    })
    const rule = rules[pkg]
    if (rule !== undefined && !rule.native) {
      const required = native.filter((n) => !n.optional)
      if (required.length > 0 || banned.length > 0) {
        console.error(`${pkg} pulls ${[...required.map((n) => n.name), ...banned].join(", ")}`)
        failed = true
      }
    }
  }
  console.table(rows)
  if (failed) process.exit(1)
} finally {
  fs.rmSync(work, { recursive: true, force: true })
}
