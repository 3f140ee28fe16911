/**
 * The parts of the command contract whose library capability is not in this version yet:
 * `compliance`. Each
 * fails with one clear line and a non-zero exit; nothing is read or written. To wire one,
 * replace its entry here with the real command in Cli.ts.
 *
 * @since 0.2.0
 */
import { Data, Effect } from "effect"

/**
 * A command or store of the contract that this version cannot run yet.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotYetAvailable extends Data.TaggedError("NotYetAvailable")<{ readonly what: string }> {
  override get message(): string {
    return `${this.what} is not yet available in this version of partnerbook`
  }
}

/**
 * Fails with {@link NotYetAvailable}.
 *
 * @since 0.2.0
 * @category constructors
 */
export const fail = (what: string): Effect.Effect<never, NotYetAvailable> =>
  Effect.fail(new NotYetAvailable({ what }))

/**
 * The commands of the contract that wait for a library capability, with what they wait for.
 *
 * @since 0.2.0
 * @category constants
 */
export const pending = {
  compliance: "compliance (needs Partnerbook.compliance)"
} as const
