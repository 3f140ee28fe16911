import { suite } from "@partnerbook/testkit"
import { freshLayer } from "./fixtures/temp.js"

// The shared conformance suite, each test (and each property run) on a new file.
suite("SqliteStore", freshLayer)
