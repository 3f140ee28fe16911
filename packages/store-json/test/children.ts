/**
 * Child processes running `fixtures/worker.ts`, for the crash and multi-process tests.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { tempDir } from "./helpers.js"

const here = dirname(fileURLToPath(import.meta.url))
const workerSource = join(here, "fixtures", "worker.ts")
const packageRoot = join(here, "..")

/** How to start a worker: the `node` arguments before the worker's own. */
export type Command = ReadonlyArray<string>

/** `node --conditions=@partnerbook/source --import tsx worker.ts`: runs the sources as they are. */
export const tsxCommand: Command = ["--conditions=@partnerbook/source", "--import", "tsx", workerSource]

/**
 * The worker bundled into one file with tsup (esbuild), from the same sources (same export
 * conditions). Starting it costs a tenth of the CPU of the tsx command (which resolves and
 * transforms a few hundred modules through loader hooks in every child), which matters
 * when a test starts a hundred children. Falls back to the tsx command if bundling fails.
 */
export const bundledCommand = async (): Promise<{ readonly command: Command; readonly note?: string }> => {
  try {
    const { build } = await import("tsup")
    const outDir = tempDir("pb-json-worker-")
    await build({
      entry: { worker: workerSource },
      format: ["esm"],
      platform: "node",
      target: "node20",
      outDir,
      noExternal: [/.*/],
      splitting: false,
      sourcemap: false,
      dts: false,
      clean: false,
      silent: true,
      config: false,
      esbuildOptions(options) {
        options.conditions = ["@partnerbook/source"]
      }
    })
    return { command: [join(outDir, "worker.js")] }
  } catch (error) {
    return { command: tsxCommand, note: `bundling the worker failed (${String(error)}); using tsx` }
  }
}

export interface Child {
  readonly process: ChildProcess
  /** Every stdout line so far. */
  readonly lines: Array<string>
  /** Resolves with the first line (from now on or already seen) that satisfies `test`. */
  readonly waitFor: (test: (line: string) => boolean, timeoutMs?: number) => Promise<string>
  readonly send: (line: string) => void
  /** Resolves when the process has exited and its output is fully read. */
  readonly closed: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  readonly stderr: () => string
}

export const start = (command: Command, args: ReadonlyArray<string>): Child => {
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: packageRoot,
    stdio: ["pipe", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = []
  let stderr = ""
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  child.stdin!.on("error", () => {}) // the child may be gone when we write
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line)
    for (let i = 0; i < waiters.length; i++) {
      if (waiters[i]!.test(line)) {
        waiters[i]!.resolve(line)
        waiters.splice(i, 1)
        i--
      }
    }
  })
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal }))
  )
  return {
    process: child,
    lines,
    stderr: () => stderr,
    send: (line) => {
      child.stdin!.write(`${line}\n`)
    },
    waitFor: (test, timeoutMs = 60_000) => {
      const seen = lines.find(test)
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for the worker; stderr: ${stderr}`)),
          timeoutMs
        )
        const done = (line: string) => {
          clearTimeout(timer)
          resolve(line)
        }
        waiters.push({ test, resolve: done })
        void closed.then(({ code, signal }) => {
          clearTimeout(timer)
          reject(
            new Error(`the worker exited (${code ?? signal}) before the expected line; stderr: ${stderr}`)
          )
        })
      })
    },
    closed
  }
}
