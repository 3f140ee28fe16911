/**
 * A book's change feed in the file (format version 2): `lastSequence` and `changes`, the
 * latest change of each record by sequence. How a change is written (`toJson`), how the
 * feed of a file is checked and decoded (`decode`), and the changes after a sequence
 * (`since`, what `Store.Backend.changes` answers). The feed itself is kept by `state.ts`.
 *
 * @internal
 */
import type { Store } from "@partnerbook/core"
import { Either } from "effect"
import { type Corrupt, corrupt, describe, isCount, isObject, type JsonObject, own } from "./layout.js"
import type * as State from "./state.js"

/** A change as the file holds it: keys in a fixed order, `revision` only for a put. */
export const toJson = (c: Store.Change) =>
  c.revision === undefined
    ? { sequence: c.sequence, entity: c.entity, id: c.id, op: c.op }
    : { sequence: c.sequence, entity: c.entity, id: c.id, op: c.op, revision: c.revision }

const entities = new Set(["profile", "partner", "referral", "interaction", "client"])

/** Decodes the change feed of a file: sequences increasing, at most `lastSequence`. */
export const decode = (file: JsonObject): Either.Either<State.Feed, Corrupt> => {
  const last = own(file, "lastSequence")
  if (!isCount(last))
    return Either.left(corrupt("lastSequence", `expected a non-negative integer, found ${describe(last)}`))
  const list = own(file, "changes")
  if (!Array.isArray(list))
    return Either.left(corrupt("changes", `expected an array, found ${describe(list)}`))
  const changes: Array<Store.Change> = []
  const seen = new Set<string>()
  let previous = 0
  for (let i = 0; i < list.length; i++) {
    const c = list[i]
    const at = `changes.${i}`
    if (!isObject(c)) return Either.left(corrupt(at, `expected a change object, found ${describe(c)}`))
    for (const key of Object.keys(c)) {
      if (!["sequence", "entity", "id", "op", "revision"].includes(key))
        return Either.left(corrupt(`${at}.${key}`, `unexpected key ${JSON.stringify(key)}`))
    }
    const { entity, id, op, revision, sequence } = c
    if (!isCount(sequence) || sequence <= previous || sequence > last)
      return Either.left(
        corrupt(`${at}.sequence`, `expected a sequence above ${previous} and at most lastSequence (${last})`)
      )
    if (typeof entity !== "string" || !entities.has(entity))
      return Either.left(corrupt(`${at}.entity`, `expected an entity kind, found ${JSON.stringify(entity)}`))
    if (typeof id !== "string")
      return Either.left(corrupt(`${at}.id`, `expected a string, found ${describe(id)}`))
    if (op !== "put" && op !== "delete")
      return Either.left(corrupt(`${at}.op`, `expected "put" or "delete", found ${JSON.stringify(op)}`))
    if (revision !== undefined && !isCount(revision))
      return Either.left(corrupt(`${at}.revision`, "expected a non-negative integer"))
    const key = `${entity}\u0000${id}`
    if (seen.has(key)) return Either.left(corrupt(at, `a second change of ${entity} ${JSON.stringify(id)}`))
    seen.add(key)
    previous = sequence
    changes.push(
      revision === undefined
        ? { sequence, entity: entity as State.Kind, id, op }
        : { sequence, entity: entity as State.Kind, id, op, revision }
    )
  }
  return Either.right({ last, changes })
}

/** At most `limit` changes with a sequence above `after`, oldest first, and the last sequence. */
export const since = (
  feed: State.Feed,
  after: number,
  limit: number
): { readonly changes: Array<Store.Change>; readonly last: number } => {
  const out: Array<Store.Change> = []
  for (const c of feed.changes) {
    if (out.length >= limit) break
    if (c.sequence > after) out.push(c)
  }
  return { changes: out, last: feed.last }
}
