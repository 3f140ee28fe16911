// A library that wraps Partnerbook, as a user would write it: no return type annotations.
// `tsc --declaration` must be able to name every inferred type (TS2742 otherwise).
import { Partnerbook, PartnerbookClient, Store } from "@partnerbook/core"
import { JsonStore } from "@partnerbook/store-json"
import { SqliteStore } from "@partnerbook/store-sqlite"
// testkit imports vitest, which runs only inside vitest: its types are checked, not run here.
import type { suite } from "@partnerbook/testkit"
import { Effect, Layer } from "effect"

const pb = await PartnerbookClient.open()

export async function matrixOf(u: string) {
  return pb.book(u).matrix()
}

export async function agendaOf(u: string) {
  return pb.book(u).agenda({ asOf: "2026-11-23" })
}

export async function balanceOf(u: string) {
  return pb.book(u).balance()
}

export async function exported(u: string) {
  return pb.book(u).exportBook()
}

export const bookOf = (u: string) => pb.book(u)

export const sqlite = (filename: string) => SqliteStore.layer({ filename })

export const json = (directory: string) => JsonStore.layer({ directory })

export const program = Effect.gen(function* () {
  const service = yield* Partnerbook.Partnerbook
  return yield* service.matrix("default", { asOf: "2026-11-23" })
})

export const runnable = program.pipe(Effect.provide(Partnerbook.layer.pipe(Layer.provide(Store.layerMemory))))

export type Suite = typeof suite
