/**
 * The versions of the file format and the way from each to the next: a migration converts a
 * parsed file of one version into the next on plain JSON, before decoding. A file is never
 * rewritten by reading it: an old file is upgraded on its next write.
 *
 * @internal
 */
import type { Store } from "@partnerbook/core"
import { Either } from "effect"
import * as Feed from "./feed.js"
import {
  type Corrupt,
  corrupt,
  describe,
  isObject,
  type JsonObject,
  listKeys,
  own,
  storeVersion
} from "./layout.js"

/**
 * One step of the format: converts a parsed file of version `from` into version `to`. A
 * step sees plain JSON and returns plain JSON; the last step's output is decoded with the
 * schemas. Steps never touch the file: an old file is upgraded on its next write.
 */
export interface Migration {
  readonly from: number
  readonly to: number
  readonly description: string
  readonly migrate: (file: JsonObject) => Either.Either<JsonObject, Corrupt>
}

/**
 * Version 0 is a layout defined so that the migration path has a tested first step; no
 * release of this package wrote it. It is version 1 with every collection stored as an
 * object keyed by record id, and the records without their `id` field:
 * `"partners": { "p1": { "book": ..., "name": ... } }`. Converting it builds the sorted
 * arrays of version 1 and puts each key back as the record's `id`; nothing else changes.
 */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  description: "collections keyed by id (records without `id`) -> arrays of records sorted by id",
  migrate: (file) => {
    const out: Array<[string, unknown]> = []
    for (const key of Object.keys(file)) {
      const value = file[key]
      if (key === "storeVersion") {
        out.push([key, 1])
        continue
      }
      if (!listKeys.some(([, list]) => list === key)) {
        out.push([key, value])
        continue
      }
      if (!isObject(value)) {
        return Either.left(
          corrupt(key, `expected an object keyed by record id (format version 0), found ${describe(value)}`)
        )
      }
      const ids = Object.keys(value).sort()
      const records: Array<unknown> = []
      for (const id of ids) {
        const record = value[id]
        if (!isObject(record)) {
          return Either.left(corrupt(`${key}.${id}`, `expected a record object, found ${describe(record)}`))
        }
        if (Object.hasOwn(record, "id")) {
          return Either.left(
            corrupt(`${key}.${id}.id`, "format version 0 keeps the id in the key, not in the record")
          )
        }
        // Object.fromEntries defines own properties: a key named "__proto__" stays data.
        records.push(Object.fromEntries([["id", id], ...Object.entries(record)]))
      }
      out.push([key, records])
    }
    return Either.right(Object.fromEntries(out))
  }
}

/**
 * Version 2 adds the change feed: `lastSequence` and `changes`. A version-1 file gets one
 * `put` change per record (profile, partners, referrals, interactions, clients, each list in
 * file order), numbered from 1, so that a reader of the feed from 0 sees every record.
 */
const v1ToV2: Migration = {
  from: 1,
  to: 2,
  description: "adds the change feed (`lastSequence`, `changes`): one put per existing record",
  migrate: (file) => {
    if (Object.hasOwn(file, "lastSequence") || Object.hasOwn(file, "changes")) {
      return Either.left(corrupt("storeVersion", "a version-1 file has no change feed, but this one has"))
    }
    const changes: Array<Store.Change> = []
    const revisionOf = (r: unknown) => (isObject(r) && typeof r.revision === "number" ? r.revision : 0)
    const profile = own(file, "profile")
    if (isObject(profile) && typeof own(file, "book") === "string") {
      changes.push({
        sequence: changes.length + 1,
        entity: "profile",
        id: file.book as string,
        op: "put",
        revision: revisionOf(profile)
      })
    }
    for (const [kind, key] of listKeys) {
      const list = own(file, key)
      if (!Array.isArray(list)) continue // decoding names the problem
      for (const r of list) {
        if (isObject(r) && typeof r.id === "string")
          changes.push({
            sequence: changes.length + 1,
            entity: kind,
            id: r.id,
            op: "put",
            revision: revisionOf(r)
          })
      }
    }
    return Either.right({
      ...file,
      storeVersion: 2,
      lastSequence: changes.length,
      changes: changes.map(Feed.toJson)
    })
  }
}

/** The migrations, oldest first; each step's `to` is the next one's `from`. */
export const migrations: ReadonlyArray<Migration> = [v0ToV1, v1ToV2]

/** The oldest version this store still reads. */
export const oldestVersion = migrations.length === 0 ? storeVersion : migrations[0]!.from

/** Brings a parsed file of any known version to the current one. */
export const migrate = (file: JsonObject, from: number): Either.Either<JsonObject, Corrupt> => {
  let current = file
  let version = from
  while (version < storeVersion) {
    const step = migrations.find((m) => m.from === version)
    if (step === undefined)
      return Either.left(corrupt("storeVersion", `no migration from format version ${version}`))
    const next = step.migrate(current)
    if (Either.isLeft(next)) return next
    current = next.right
    version = step.to
  }
  return Either.right(current)
}
