import { Store } from "@partnerbook/core"
import { suite } from "@partnerbook/testkit"

suite("layerMemory", () => Store.layerMemory)
