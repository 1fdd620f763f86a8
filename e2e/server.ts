// The real app listening on a free loopback port, for the browser tests and the screenshot script.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { Database } from "../src/core/db/client.ts";

export interface RunningServer {
  baseUrl: string;
  app: FastifyInstance;
  database: Database;
  /** DATA_DIR of the app: the outbox (`new Mailer({ dataDir, smtpUrl: undefined }).outbox()`), uploads. */
  dataDir: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** The database to serve; by default a fresh copy of the test run's seeded PGlite template (inside vitest only). */
  database?: Database;
  /** Extra environment over the test defaults (OIDC_*, SMTP_URL…). */
  env?: Record<string, string>;
  /** The port to listen on (when another party must know the address first, e.g. an OIDC provider); by default a free one. */
  port?: number;
  /** DATA_DIR; by default a fresh temporary directory, removed on close. */
  dataDir?: string;
}

/** A loopback port free right now (the app listens on it just after: the window for a clash is tiny). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Starts the app (logger off) on 127.0.0.1. The port is chosen before the app is built, so that
 * BASE_URL is the real address: links in e-mails (outbox) and the OIDC callback point at this server.
 */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  let database = opts.database;
  if (!database) {
    // Imported here so the screenshot script, which runs outside vitest, never loads vitest.
    const { createTestDatabase } = await import("../test/helpers/app.ts");
    database = await createTestDatabase("pglite");
  }
  const ownDataDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "collines-e2e-"));
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  // BASE_URL is not https, so cookies are not `Secure` and the outbox stays readable.
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir, BASE_URL: baseUrl, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "silent", ...opts.env });
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: "127.0.0.1", port });
  const db = database;
  return {
    baseUrl,
    app,
    database: db,
    dataDir: config.dataDir,
    close: async () => {
      await app.close();
      await db.close();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
