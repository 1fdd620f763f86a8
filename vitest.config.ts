import { defineConfig } from "vitest/config";

// One run = unit tests (src/), HTTP tests through app.inject() on PGlite and PostgreSQL (test/),
// process tests that spawn the real server (test/process.test.ts) and browser tests (e2e/).
// CI has 2 cores: 2 forked workers, each test file opening its own database clones.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}", "e2e/**/*.test.{ts,tsx}"],
    globalSetup: ["test/helpers/global-setup.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    // Forks, not threads: PGlite (WASM) and native modules (argon2) are safest one per process.
    pool: "forks",
    maxWorkers: 2,
    // Generous for a loaded 2-core machine; a test that needs more says so itself.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    slowTestThreshold: 2_000,
    reporters: ["default"],
  },
});
