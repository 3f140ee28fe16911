/**
 * The command as run by the `partnerbook` executable (see bin.ts): runs it, prints a failure as one line on stderr and
 * exits non-zero (2 for a usage error, 1 for anything else).
 *
 * @since 0.2.0
 */
import { HelpDoc, ValidationError } from "@effect/cli"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Cause, type Console, Effect, Exit, Layer, Option } from "effect"
import { run } from "./Cli.js"

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes
const ansi = /\u001b\[[0-9;]*m/g

const oneLine = (text: string): string =>
  text
    .replace(ansi, "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(" ")

const messageOf = (error: unknown): string => {
  if (ValidationError.isValidationError(error)) return oneLine(HelpDoc.toAnsiText(error.error))
  if (error instanceof Error) return oneLine(error.message)
  if (typeof error === "object" && error !== null && "message" in error) return oneLine(String(error.message))
  return oneLine(String(error))
}

const main = Effect.gen(function* () {
  const console = yield* Effect.console
  // @effect/cli prints its own (multi-line) diagnostics on stderr: they are replaced by one line.
  const quiet = { ...console, error: () => Effect.void }
  return yield* run(process.argv).pipe(Effect.withConsole(quiet as Console.Console))
}).pipe(
  // Only what @effect/cli needs (not all of NodeContext: workers, a command executor): less to load.
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer))
)

Effect.runPromiseExit(main).then((exit) => {
  if (Exit.isSuccess(exit)) return
  const failure = Cause.failureOption(exit.cause)
  const error = Option.isSome(failure) ? failure.value : Cause.squash(exit.cause)
  const usage = ValidationError.isValidationError(error)
  // A help request (--help on a command) is not an error.
  if (usage && ValidationError.isHelpRequested(error)) return
  const tag = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : ""
  const interrupted = Cause.isInterruptedOnly(exit.cause)
  process.stderr.write(`partnerbook: ${interrupted ? "interrupted" : messageOf(error) || tag || "failed"}\n`)
  process.exitCode = usage ? 2 : 1
})
