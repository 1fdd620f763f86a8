// The open API, the OpenAPI document, the CSV export; unpublished content stays out of all of
// them, tenants stay apart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { actionsOf, SEED_ACTIONS, type ActionRow } from "./helpers/data.ts";
import { mainOf, textOf } from "./helpers/html.ts";

interface ApiAction {
  id: number;
  number: number;
  title: string;
  description: string | null;
  status: string | null;
  statusLabel: string;
  joint: boolean;
  lead: { siren: string; name: string } | null;
  partners: { name: string; siren: string | null }[];
  communeCode: string | null;
  url: string;
}
interface ApiPlan {
  territory: { slug: string; name: string; kind: string };
  themes: { code: string; title: string; objectives: { id: number; title: string; actions: ApiAction[] }[] }[];
}

const flat = (plan: ApiPlan) => plan.themes.flatMap((t) => t.objectives.flatMap((o) => o.actions));

/** Parses our CSV (quoted cells may hold `;`, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe.each(DB_KINDS)("open API and exports on %s", (kind) => {
  let t: TestApp;
  let refActions: ActionRow[];
  let demoActions: ActionRow[];
  const get = (url: string) => t.app.inject({ url });

  beforeAll(async () => {
    t = await createTestApp(kind);
    refActions = await actionsOf(t.database, REF);
    demoActions = await actionsOf(t.database, DEMO);
  });
  afterAll(async () => t?.close());

  it("lists the territories with their authorities", async () => {
    const res = await get("/api/v1/territories");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const { territories } = res.json() as { territories: { slug: string; kind: string; url: string; authorities: { siren: string; name: string; kind: string }[] }[] };
    const ref = territories.find((x) => x.slug === REF)!;
    expect(ref.kind).toBe("reference");
    expect(ref.url).toBe(`http://localhost:3000/t/${REF}`);
    expect(ref.authorities).toEqual([
      { siren: "200068799", name: "Intercom de la Vire au Noireau", kind: "CC" },
      { siren: "200035814", name: "Flers Agglo", kind: "CA" },
    ]);
    expect(territories.find((x) => x.slug === DEMO)?.kind).toBe("demo");
  });

  it("gives the reference plan as a tree: themes → objectives → actions", async () => {
    const res = await get(`/api/v1/territories/${REF}/plan`);
    expect(res.statusCode).toBe(200);
    const plan = res.json() as ApiPlan;
    expect(plan.territory).toEqual({ slug: REF, name: "Collines de Normandie", kind: "reference" });
    expect(plan.themes.map((th) => th.code)).toEqual(["ATTIRER", "RECRUTER", "SIMPLIFIER", "INNOVER"]);
    expect(plan.themes.flatMap((th) => th.objectives)).toHaveLength(12);
    const actions = flat(plan);
    expect(actions.map((a) => [a.number, a.title])).toEqual(SEED_ACTIONS.map((a) => [a.n, a.title]));
    for (const a of actions) {
      expect(a.lead).toEqual({ siren: "200068799", name: "Intercom de la Vire au Noireau" });
      expect(a.status).toBeNull();
      expect(a.statusLabel).toBe("Statut non renseigné");
      expect(a.description).toBeNull();
      expect(a.partners).toEqual(a.joint ? [{ name: "Flers Agglo", siren: "200035814" }] : []);
      expect(a.url).toBe(`http://localhost:3000/t/${REF}/actions/${a.id}`);
    }
    expect(actions.filter((a) => a.joint).map((a) => a.number)).toEqual([1, 8, 10, 11, 12, 15, 18, 19]);
    expect(actions.find((a) => a.number === 7)?.communeCode).toBe("14658");
  });

  it("gives one action, with its theme and objective", async () => {
    const a4 = refActions.find((a) => a.number === 4)!;
    const res = await get(`/api/v1/territories/${REF}/actions/${a4.id}`);
    expect(res.statusCode).toBe(200);
    const a = res.json() as ApiAction & { theme: { code: string }; objective: { title: string } };
    expect(a.number).toBe(4);
    expect(a.theme.code).toBe("ATTIRER");
    expect(a.objective.title).toMatch(/^Renforcer l'accueil et l'ancrage des entreprises/);
    expect(a.communeCode).toBe("14762");
  });

  it("keeps tenants apart: an action of the other territory is not found", async () => {
    const demoAction = demoActions.find((a) => a.visibility === "published")!;
    const refAction = refActions[0];
    for (const url of [
      `/api/v1/territories/${REF}/actions/${demoAction.id}`,
      `/api/v1/territories/${DEMO}/actions/${refAction.id}`,
      `/t/${REF}/actions/${demoAction.id}`,
      `/t/${DEMO}/actions/${refAction.id}`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
    }
    const json = await get(`/api/v1/territories/${REF}/actions/${demoAction.id}`);
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
    expect(json.json()).toMatchObject({ status: 404, error: "Page introuvable" });
    expect((await get("/api/v1/territories/inconnu/plan")).statusCode).toBe(404);
  });

  it("publishes an OpenAPI 3.1 document listing the open API", async () => {
    const res = await get("/api/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      info: { title: string; version: string };
      servers: { url: string }[];
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, { description: string; content?: Record<string, { schema?: object }> }>; parameters: { name: string; in: string; required: boolean; schema: object }[] }>>;
    };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.servers[0].url).toBe("http://localhost:3000");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/territories", "/api/v1/territories/{slug}/plan", "/api/v1/territories/{slug}/actions/{id}", "/t/{slug}/plan.csv"]),
    );
    const ajv = new Ajv2020({ strict: false });
    const operationIds = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path.startsWith("/")).toBe(true);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        expect(["get", "post", "put", "patch", "delete"]).toContain(method);
        expect(operationIds.has(op.operationId), op.operationId).toBe(false);
        operationIds.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const r of Object.values(op.responses)) {
          expect(typeof r.description).toBe("string");
          for (const media of Object.values(r.content ?? {})) if (media.schema) expect(() => ajv.compile(media.schema!)).not.toThrow();
        }
        // Every path template has its required path parameter, and no other path parameter exists.
        const pathParams = op.parameters.filter((p) => p.in === "path");
        expect(pathParams.map((p) => p.name).sort()).toEqual([...templated].sort());
        for (const p of op.parameters) {
          expect(["path", "query", "header", "cookie"]).toContain(p.in);
          if (p.in === "path") expect(p.required).toBe(true);
          expect(() => ajv.compile(p.schema)).not.toThrow();
        }
      }
    }
    // The response schemas describe what the API really answers.
    const planSchema = doc.paths["/api/v1/territories/{slug}/plan"].get.responses["200"].content!["application/json"].schema!;
    const validatePlan = ajv.compile(planSchema);
    expect(validatePlan((await get(`/api/v1/territories/${DEMO}/plan`)).json()), JSON.stringify(validatePlan.errors)).toBe(true);
    const listSchema = doc.paths["/api/v1/territories"].get.responses["200"].content!["application/json"].schema!;
    expect(ajv.compile(listSchema)((await get("/api/v1/territories")).json())).toBe(true);
  });

  it("exports the plan as CSV for French spreadsheets: BOM, `;`, CRLF, a header and 19 rows", async () => {
    const res = await get(`/t/${REF}/plan.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="plan-d-actions-${REF}.csv"`);
    const body = res.rawPayload.toString("utf8");
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(body.endsWith("\r\n")).toBe(true);
    expect(body.replace(/\r\n/g, "")).not.toMatch(/\n/);
    const rows = parseCsv(body.slice(1));
    expect(rows[0]).toEqual(["Numéro", "Thématique", "Objectif", "Action", "Porteur", "Partenaires", "Partenariat ◆", "Statut", "Commune (code INSEE)", "Adresse"]);
    expect(rows).toHaveLength(20);
    const data = rows.slice(1);
    expect(data.every((r) => r.length === 10)).toBe(true);
    expect(data.map((r) => [Number(r[0]), r[3]])).toEqual(SEED_ACTIONS.map((a) => [a.n, a.title]));
    expect(data.filter((r) => r[6] === "oui").map((r) => Number(r[0]))).toEqual([1, 8, 10, 11, 12, 15, 18, 19]);
    expect(data.every((r) => r[7] === "Statut non renseigné" && r[4] === "Intercom de la Vire au Noireau")).toBe(true);
    // The objective with `;` inside is quoted, not split.
    expect(data[3][2]).toContain("la création et/ou l'extension de PAE ; la requalification de PAE");
  });
});

describe.each(DB_KINDS)("unpublished demo actions on %s", (kind) => {
  let t: TestApp;
  let hidden: ActionRow[];
  const get = (url: string) => t.app.inject({ url });

  beforeAll(async () => {
    t = await createTestApp(kind);
    const demo = await actionsOf(t.database, DEMO);
    hidden = demo.filter((a) => a.visibility !== "published");
  });
  afterAll(async () => t?.close());

  it("has exactly the draft action 15 and the confidential action 20", () => {
    expect(hidden.map((a) => [a.number, a.visibility])).toEqual([
      [15, "draft"],
      [20, "confidential"],
    ]);
  });

  it("never shows them on public pages, in the CSV or the API", async () => {
    const titles = hidden.map((a) => a.title);
    const sources = {
      home: (await get(`/t/${DEMO}`)).body,
      plan: (await get(`/t/${DEMO}/plan`)).body,
      planFiltered: (await get(`/t/${DEMO}/plan?theme=SIMPLIFIER&status=planned`)).body,
      sitemap: (await get(`/t/${DEMO}/plan-du-site`)).body,
      csv: (await get(`/t/${DEMO}/plan.csv`)).body,
      api: (await get(`/api/v1/territories/${DEMO}/plan`)).body,
    };
    for (const [where, body] of Object.entries(sources)) {
      for (const title of titles) expect(textOf(body), `${where}: ${title}`).not.toContain(title);
      for (const a of hidden) expect(body, where).not.toContain(`/actions/${a.id}"`);
    }
    const api = JSON.parse(sources.api) as ApiPlan;
    expect(flat(api).map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19]);
    expect(parseCsv(sources.csv.slice(1))).toHaveLength(19);
    expect(textOf(mainOf(sources.plan))).toContain("18 actions.");
  });

  it("answers 404 for their ids, on the portal and in the API", async () => {
    for (const a of hidden) {
      for (const url of [`/t/${DEMO}/actions/${a.id}`, `/api/v1/territories/${DEMO}/actions/${a.id}`]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body).not.toContain(a.title);
      }
    }
  });

  it("shows them to an agent of the demo, marked as unpublished, but not to another territory's agent", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: DEMO });
    const [draft, confidential] = hidden;
    const d = await agent.get(`/t/${DEMO}/actions/${draft.id}`);
    expect(d.statusCode).toBe(200);
    expect(d.headers["cache-control"]).toBe("private, no-store");
    expect(textOf(d.body)).toContain(draft.title);
    expect(textOf(d.body)).toContain("Brouillon : cette action n'est pas publiée.");
    const c = await agent.get(`/t/${DEMO}/actions/${confidential.id}`);
    expect(c.statusCode).toBe(200);
    expect(textOf(c.body)).toContain("Confidentiel : cette action n'est visible que des personnes habilitées.");
    // The open API stays public-only, whoever asks.
    expect((await agent.get(`/api/v1/territories/${DEMO}/actions/${draft.id}`)).statusCode).toBe(404);

    const other = await signedInClient(t, { role: "agent", territory: REF });
    expect((await other.get(`/t/${DEMO}/actions/${draft.id}`)).statusCode).toBe(404);
    // Anonymous again after the agents: nothing leaked into the shared page cache.
    expect((await get(`/t/${DEMO}/actions/${draft.id}`)).statusCode).toBe(404);
  });
});
