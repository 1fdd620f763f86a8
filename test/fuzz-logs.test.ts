// Hostile input never reaches the logs as personal data (issue 7, docs/operations.md): one JSON
// line per event with the request id; no query string, body or cookie; e-mail addresses masked in
// error messages (mail errors quote recipients); one-time tokens of e-mailed links masked in paths.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp, logPath } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import type { Database } from "../src/core/db/client.ts";
import { createTestDatabase, REF } from "./helpers/app.ts";

const EMAIL = "jean.dupont@exemple.fr";

describe("logs", () => {
  let app: FastifyInstance;
  let database: Database;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    const config = loadConfig({ NODE_ENV: "test", DATA_DIR: ".tmp/data", BASE_URL: "http://localhost:3000", LOG_LEVEL: "info" });
    app = await buildApp({ config, database, logStream: { write: (l: string) => void lines.push(l) } });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("writes JSON lines with request ids, without addresses, query strings, bodies or link tokens", async () => {
    const token = randomBytes(32).toString("base64url");
    const page = await app.inject({ url: "/connexion" });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const secret = (page.cookies as { name: string; value: string }[]).find((c) => c.name === "collines_csrf")!.value;
    await app.inject({
      method: "POST",
      url: "/connexion",
      headers: { cookie: `collines_csrf=${secret}`, "content-type": "application/x-www-form-urlencoded", "x-request-id": "demande-journal-1" },
      payload: new URLSearchParams({ _csrf: csrf, email: EMAIL, password: "mot de passe faux" }).toString(),
    });
    await app.inject({ url: `/t/${REF}/plan?email=${encodeURIComponent(EMAIL)}` });
    await app.inject({ url: `/connexion/lien/${token}` });
    await app.inject({ url: `/invitation/${token}` });
    await app.inject({ method: "POST", url: "/connexion", headers: { "content-type": "text/xml" }, payload: `<a>${EMAIL}</a>` });
    app.log.error({ err: `Can't send mail - all recipients were rejected: 550 5.1.1 <${EMAIL}>: Recipient address rejected` }, "mail not sent");
    app.log.error({ err: new Error(`duplicate key value (email)=(${EMAIL}) already exists\nparams: ${EMAIL}`) }, "request failed");
    await new Promise((r) => setTimeout(r, 50));

    const text = lines.join("");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.length).toBeGreaterThan(8);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain("jean.dupont");
    expect(text).not.toContain(token);
    expect(text).not.toContain("mot de passe faux");
    expect(text).toContain("[adresse masquée]");
    expect(text).toContain("/connexion/lien/:jeton");
    const requests = parsed.filter((p) => p.req);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const p of parsed.filter((x) => x.req || x.res)) expect(typeof p.reqId).toBe("string");
    expect(requests.some((p) => p.reqId === "demande-journal-1")).toBe(true);
  });

  it("keeps slugs and numeric ids in paths, masks only token-like segments", () => {
    expect(logPath(`/t/${REF}/gestion/actions/12?q=x`)).toBe(`/t/${REF}/gestion/actions/12`);
    expect(logPath("/t/demo-bocage-des-forges-et-du-noireau/plan")).toBe("/t/demo-bocage-des-forges-et-du-noireau/plan");
    expect(logPath("/mot-de-passe/Ab3_kLmnOpqrStuvWxyz012345")).toBe("/mot-de-passe/:jeton");
  });
});
