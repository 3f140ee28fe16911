/** The capability suites that `StoreSuite.suite` runs, in order. */
import type { Capability } from "./storeSuite.js"
import * as ChangeFeed from "../suites/ChangeFeed.js"
import * as ExternalIds from "../suites/ExternalIds.js"
import * as ImportExport from "../suites/ImportExport.js"
import * as ModelBased from "../suites/ModelBased.js"
import * as Reads from "../suites/Reads.js"
import * as Records from "../suites/Records.js"
import * as Revisions from "../suites/Revisions.js"
import * as Service from "../suites/Service.js"
import * as Transactions from "../suites/Transactions.js"

/** Every capability, in the order `StoreSuite.suite` runs them. */
export const capabilities: ReadonlyArray<Capability> = [
  Records.capability,
  Revisions.capability,
  Transactions.capability,
  ExternalIds.capability,
  ChangeFeed.capability,
  Reads.capability,
  ImportExport.capability,
  Service.capability,
  ModelBased.capability
]
