// Runs in every test worker before each test file (vitest `setupFiles`).
import { vi } from "vitest";

// Load shedding is off for in-process tests. @fastify/under-pressure turns a stall of the event
// loop longer than its 1 s sample (opening a PGlite clone is one: synchronous WASM) into an
// "eventLoopDelay Infinity" reading, and the app then answers 503 to every request for up to a
// second — random 503s in tests that run many apps in one busy process. Servers started by the
// process and browser tests keep the real plugin.
vi.mock("@fastify/under-pressure", () => {
  const plugin = Object.assign(async () => {}, { [Symbol.for("skip-override")]: true });
  return { default: plugin };
});
