/**
 * Where the command keeps the book: `json:FOLDER`, a `postgres://` URL, or `sqlite:PATH` /
 * any other path (a SQLite file). The default is `./partnerbook.db`; `PARTNERBOOK_STORE` is
 * read when `--store` is absent.
 *
 * @since 0.2.0
 */
import { existsSync, rmSync, statSync } from "node:fs"
import { resolve } from "node:path"
import type { Store, StoreError } from "@partnerbook/core"
import { JsonStore } from "@partnerbook/store-json"
import { SqliteStore } from "@partnerbook/store-sqlite"
import { Effect, Layer } from "effect"

/**
 * A parsed store target.
 *
 * @since 0.2.0
 * @category models
 */
export type Target =
  | { readonly _tag: "sqlite"; readonly filename: string }
  | { readonly _tag: "json"; readonly directory: string }
  | { readonly _tag: "postgres"; readonly url: string }

/**
 * The store used when neither `--store` nor `PARTNERBOOK_STORE` names one.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultTarget = "./partnerbook.db"

/**
 * Reads a target string.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parse = (text: string): Target => {
  if (text.startsWith("json:")) return { _tag: "json", directory: resolve(text.slice(5) || ".") }
  if (/^postgres(ql)?:\/\//i.test(text)) return { _tag: "postgres", url: text }
  if (text.startsWith("sqlite:")) return { _tag: "sqlite", filename: resolve(text.slice(7)) }
  return { _tag: "sqlite", filename: resolve(text) }
}

/**
 * How a target is shown to people (a PostgreSQL password is hidden).
 *
 * @since 0.2.0
 * @category formatting
 */
export const describe = (target: Target): string => {
  switch (target._tag) {
    case "sqlite":
      return target.filename
    case "json":
      return `json:${target.directory}`
    case "postgres":
      return target.url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@")
  }
}

/**
 * Whether the target already holds a store (a non-empty SQLite file, a folder of JSON books;
 * a book missing from it is simply empty). A PostgreSQL database is assumed to exist.
 *
 * @since 0.2.0
 * @category predicates
 */
export const exists = (target: Target): boolean => {
  switch (target._tag) {
    case "sqlite":
      return existsSync(target.filename) && statSync(target.filename).size > 0
    case "json":
      return existsSync(target.directory)
    case "postgres":
      return true
  }
}

/**
 * Remembers what of the target exists now, and returns a function that removes what a
 * failed command created since (the database file and its companions, the folder): a command
 * that fails on a store that did not exist leaves no store behind.
 *
 * @since 0.2.0
 * @category resources
 */
export const undoCreation = (target: Target): (() => void) => {
  const paths =
    target._tag === "sqlite"
      ? [target.filename, `${target.filename}-wal`, `${target.filename}-shm`, `${target.filename}-journal`]
      : target._tag === "json"
        ? [target.directory]
        : []
  const absent = paths.filter((p) => !existsSync(p))
  return () => {
    for (const p of absent) rmSync(p, { recursive: true, force: true })
  }
}

/**
 * The store layer of a target.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (target: Target): Layer.Layer<Store.Store, StoreError.StoreError> => {
  switch (target._tag) {
    case "sqlite":
      return SqliteStore.layer({ filename: target.filename })
    case "json":
      return JsonStore.layer({ directory: target.directory })
    case "postgres":
      // Loaded only for a PostgreSQL target: the SQLite and JSON commands never pay for it.
      return Layer.unwrapEffect(
        Effect.map(
          Effect.promise(() => import("@partnerbook/store-postgres")),
          ({ PostgresStore }) => PostgresStore.layer({ url: target.url })
        )
      )
  }
}
