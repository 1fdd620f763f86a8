// Builds an app on a fresh copy of the seeded template, on PGlite or PostgreSQL.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { inject } from "vitest";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { openPglite, openPostgres, type Database } from "../../src/core/db/client.ts";
import { ANONYMOUS } from "../../src/core/authz/index.ts";
import { createUser } from "../../src/modules/accounts/api.ts";
import type { Role } from "../../src/core/db/schema.ts";

export type DbKind = "pglite" | "postgres";

/** The database kinds this run tests: both, unless PostgreSQL is switched off. */
export const DB_KINDS: DbKind[] = process.env.COLLINES_TEST_PG === "off" ? ["pglite"] : ["pglite", "postgres"];

/** A fresh database cloned from the run's seeded template. */
export async function createTestDatabase(kind: DbKind): Promise<Database> {
  if (kind === "pglite") {
    const tar = readFileSync(inject("pgliteTemplate"));
    return openPglite(undefined, { loadDataDir: new Blob([tar]) });
  }
  const base = inject("pgUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = await openPostgres(base, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name} TEMPLATE collines_template`);
  await admin.close();
  const db = await openPostgres(base.replace(/\/postgres$/, `/${name}`), { max: 5 });
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    const a = await openPostgres(base, { max: 1 });
    await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.close();
  };
  return db;
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** An app (no logs) on a fresh database of the given kind. */
export async function createTestApp(kind: DbKind, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: ".tmp/data", BASE_URL: "http://localhost:3000", LOG_LEVEL: "silent", ...env });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Cookies kept across requests, like a browser. */
export class CookieJar {
  private cookies = new Map<string, string>();
  store(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === "" || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  get(name: string) {
    return this.cookies.get(name);
  }
}

/** A browser-like client: keeps cookies and reads CSRF tokens from the forms it gets. */
export class Client {
  jar = new CookieJar();
  constructor(private app: FastifyInstance) {}

  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: "GET", url, headers: { cookie: this.jar.header(), ...headers } });
    this.jar.store(res);
    return res;
  }

  /** The CSRF token of the first form of a page. */
  async csrf(url: string): Promise<string> {
    const res = await this.get(url);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (!m) throw new Error(`Pas de jeton CSRF sur ${url} (${res.statusCode})`);
    return m[1];
  }

  /** Posts a form as a browser would (urlencoded), with the token of `formPage` unless given. */
  async post(url: string, fields: Record<string, string | string[]>, opts: { formPage?: string; csrf?: string } = {}) {
    const token = opts.csrf ?? (await this.csrf(opts.formPage ?? url));
    const body = new URLSearchParams();
    body.append("_csrf", token);
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await this.app.inject({
      method: "POST",
      url,
      headers: { cookie: this.jar.header(), "content-type": "application/x-www-form-urlencoded" },
      payload: body.toString(),
    });
    this.jar.store(res);
    return res;
  }
}

export const TEST_PASSWORD = "correct-horse-battery-staple";

/** Creates an account with a role (or platform admin) and returns a signed-in client. */
export async function signedInClient(
  t: TestApp,
  who: { role?: Role; territory?: string; platformAdmin?: boolean; email?: string } = {},
): Promise<Client> {
  const email = who.email ?? `${who.role ?? "admin"}-${randomBytes(4).toString("hex")}@exemple.fr`;
  await t.database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, {
      email,
      displayName: `Test ${who.role ?? "admin"}`,
      password: TEST_PASSWORD,
      isPlatformAdmin: who.platformAdmin ?? false,
      membership: who.role && who.territory ? { territorySlug: who.territory, role: who.role } : undefined,
    }),
  );
  const client = new Client(t.app);
  const res = await client.post("/connexion", { email, password: TEST_PASSWORD }, { formPage: "/connexion" });
  if (res.statusCode !== 303) throw new Error(`Connexion impossible (${res.statusCode})`);
  return client;
}

export const REF = "collines-de-normandie";
export const DEMO = "demo-bocage-des-forges";
