/**
 * The error every pure rule throws (and every service returns) for input it cannot judge.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Invalid input to a rule: `field` names the offending field, `message` says what is wrong
 * with it. An `Error` instance with `_tag: "InvalidInput"`.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("@partnerbook/core/InvalidInput")(
  "InvalidInput",
  {
    field: Schema.String,
    message: Schema.String
  }
) {}

/**
 * Builds an {@link InvalidInput} whose message starts with the field name.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (field: string, problem: string): InvalidInput =>
  new InvalidInput({ field, message: `${field}: ${problem}` })

/** @internal */
export const requireFiniteNumber = (field: string, value: unknown): number => {
  if (typeof value !== "number" || Number.isNaN(value))
    throw make(field, `expected a number, got ${String(value)}`)
  if (!Number.isFinite(value)) throw make(field, `expected a finite number, got ${value}`)
  return value
}

/** @internal */
export const requireNonNegativeInteger = (field: string, value: unknown): number => {
  const n = requireFiniteNumber(field, value)
  if (!Number.isInteger(n) || n < 0) throw make(field, `expected a non-negative integer, got ${n}`)
  return n
}

/** @internal */
export const requireDate = (field: string, value: unknown): Date => {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw make(field, `expected a valid Date, got ${String(value)}`)
  }
  return value
}
