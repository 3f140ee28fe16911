import { Store } from "@partnerbook/core"
import { HostileSuite, suite } from "@partnerbook/testkit"

suite("layerMemory", () => Store.layerMemory)
HostileSuite.suite("layerMemory", () => Store.layerMemory)
