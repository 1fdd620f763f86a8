// The real app listening on a free loopback port, for the browser tests and the screenshot script.
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { Database } from "../src/core/db/client.ts";

export interface RunningServer {
  baseUrl: string;
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/**
 * Starts the app (logger off) on 127.0.0.1 and a free port. Without a database, it gets a fresh
 * copy of the test run's seeded PGlite template (only inside vitest).
 */
export async function startServer(opts: { database?: Database } = {}): Promise<RunningServer> {
  let database = opts.database;
  if (!database) {
    // Imported here so the screenshot script, which runs outside vitest, never loads vitest.
    const { createTestDatabase } = await import("../test/helpers/app.ts");
    database = await createTestDatabase("pglite");
  }
  // The public address is only known once listening; links in pages are relative, so a
  // placeholder is enough for BASE_URL (it is not https, so cookies are not `Secure`).
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: ".tmp/data", BASE_URL: "http://127.0.0.1", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent" });
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const db = database;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    database: db,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
