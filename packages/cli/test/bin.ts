/**
 * Builds the `partnerbook` bin once (tsup, as `pnpm build` does) and spawns it as a user would.
 */
import { execFile, execFileSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
export const packageDir = join(here, "..")
export const bin = join(packageDir, "dist", "bin.cjs")

export const build = (): void => {
  const require = createRequire(import.meta.url)
  const tsup = join(dirname(require.resolve("tsup/package.json")), "dist", "cli-default.js")
  execFileSync(process.execPath, [tsup, "--silent"], { cwd: packageDir, stdio: "pipe" })
  if (!existsSync(bin)) throw new Error("tsup did not write dist/bin.cjs")
}

export interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export const run = (
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Record<string, string | undefined> }
): Promise<Result> => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    PARTNERBOOK_STORE: undefined,
    PARTNERBOOK_BOOK: undefined,
    ...options.env
  }
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
  // Asynchronous, so that the test worker stays responsive while the command runs.
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd, env: env as NodeJS.ProcessEnv, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resolve({ status: code, stdout, stderr })
      }
    )
  })
}

/** Every file under a folder with its bytes: to check that a failed command changed nothing. */
export const snapshot = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out[p.slice(dir.length)] = readFileSync(p).toString("base64")
    }
  }
  walk(dir)
  return out
}
