import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: { conditions: ["@partnerbook/source"] },
  ssr: { resolve: { conditions: ["@partnerbook/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks"
  }
})
