// The concrete request of the plan module's newer rows (the follow-up); the first ones are in
// test/helpers/matrix.ts (BASE_REQUESTS).
import { resolve } from "node:path";
import { storeFile } from "../../../src/core/files/index.ts";
import { indicators } from "../../../src/modules/observatory/schema.ts";
import { actionDocuments, actionIndicators, actionLinks, actionNotes, budgetLines, financingLines, milestones } from "../../../src/modules/plan/schema.ts";
import type { BuildContext, RequestSpec } from "../matrix.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
type Lead = "mine" | "partner" | undefined;

/** A fresh draft action (led by the limited agent's intercommunalité, or ◆ partner, or neither). */
const fresh = async (c: BuildContext, lead?: Lead) => (await c.world.freshAction(c.t, { lead })).id;
const sheet = (c: BuildContext, id: number, path: string) => `/t/${c.slug}/gestion/actions/${id}/suivi${path}`;
/** A POST of the sheet on a fresh action, with a form. */
const post = (path: string, form: (c: BuildContext) => Record<string, string>, lead?: Lead): RequestSpec => ({
  build: async (c) => ({ url: sheet(c, await fresh(c, lead), path), form: form(c) }),
});
/** A POST on an item of a fresh action: `make` inserts the item and answers its id. */
const onItem = (segment: string, make: (c: BuildContext, actionId: number) => Promise<number>, form: Record<string, string>): RequestSpec => ({
  build: async (c) => {
    const id = await fresh(c);
    return { url: sheet(c, id, `/${segment}/${await make(c, id)}`), form };
  },
});

async function document(c: BuildContext, actionId: number, visibility: "published" | "confidential"): Promise<number> {
  const db = c.world.db;
  const file = await db.transaction((tx) =>
    storeFile(tx, PDF, { dataDir: resolve(".tmp/data"), territoryId: c.t.id, uploadedBy: null, originalName: "matrice.pdf", allowed: ["pdf"], maxBytes: 1024 * 1024 }),
  );
  const [d] = await db.insert(actionDocuments).values({ territoryId: c.t.id, actionId, fileId: file.id, title: `Document matrice ${c.n}`, visibility }).returning({ id: actionDocuments.id });
  return d.id;
}

async function localIndicator(c: BuildContext, actionId: number): Promise<number> {
  const db = c.world.db;
  const [ind] = await db.insert(indicators).values({ territoryId: c.t.id, code: `matrice-${c.n}`, name: `Indicateur matrice ${c.n}`, unit: "u", levels: ["action"] }).returning({ id: indicators.id });
  const [link] = await db.insert(actionIndicators).values({ territoryId: c.t.id, actionId, indicatorId: ind.id, geoLevel: "action", geoCode: String(actionId) }).returning({ id: actionIndicators.id });
  return link.id;
}

const milestone = { name: "Jalon de la matrice", dueDate: "2026-06-30", doneDate: "", visibility: "published" };
const searchSpec: RequestSpec = { lists: true, build: (c) => ({ url: `/t/${c.slug}/recherche?q=matrice` }) };

export const planRequests: Record<string, RequestSpec> = {
  "GET /t/:slug/gestion/actions/:id/suivi": { build: async (c) => ({ url: sheet(c, await fresh(c), "") }) },
  "GET /t/:slug/gestion/actions/:id/suivi#menee": { build: async (c) => ({ url: sheet(c, await fresh(c, "mine"), "") }) },
  "POST /t/:slug/gestion/actions/:id/suivi/statut": post("/statut", () => ({ status: "in_progress", comment: "Matrice" })),
  "POST /t/:slug/gestion/actions/:id/suivi/statut#menee": post("/statut", () => ({ status: "done", comment: "" }), "mine"),
  "POST /t/:slug/gestion/actions/:id/suivi/personnes": post("/personnes", () => ({ referentElu: "Élu matrice", priority: "high", tags: "matrice" })),
  "POST /t/:slug/gestion/actions/:id/suivi/calendrier": post("/calendrier", () => ({ startDate: "2026-01-01", plannedEndDate: "2027-01-01", progressMode: "manual", progressManual: "25" })),
  "POST /t/:slug/gestion/actions/:id/suivi/jalons": post("/jalons", () => milestone),
  "POST /t/:slug/gestion/actions/:id/suivi/jalons#partenaire": post("/jalons", () => milestone, "partner"),
  "POST /t/:slug/gestion/actions/:id/suivi/jalons/:itemId": onItem(
    "jalons",
    async (c, actionId) => (await c.world.db.insert(milestones).values({ territoryId: c.t.id, actionId, name: "Jalon" }).returning({ id: milestones.id }))[0].id,
    { op: "fait" },
  ),
  "POST /t/:slug/gestion/actions/:id/suivi/budget": post("/budget", () => ({ year: "2026", nature: "investment", amount: "1 000,50", label: "" })),
  "POST /t/:slug/gestion/actions/:id/suivi/budget/:itemId": onItem(
    "budget",
    async (c, actionId) => (await c.world.db.insert(budgetLines).values({ territoryId: c.t.id, actionId, year: 2026, nature: "operating", amountCents: 100 }).returning({ id: budgetLines.id }))[0].id,
    { op: "supprimer" },
  ),
  "POST /t/:slug/gestion/actions/:id/suivi/financement": post("/financement", () => ({ funderKind: "region", funderName: "Région matrice", requested: "1000", granted: "500", paid: "0", comment: "" })),
  "POST /t/:slug/gestion/actions/:id/suivi/financement/:itemId": onItem(
    "financement",
    async (c, actionId) => (await c.world.db.insert(financingLines).values({ territoryId: c.t.id, actionId, funderKind: "etat", funderName: "DETR" }).returning({ id: financingLines.id }))[0].id,
    { op: "enregistrer", funderKind: "etat", funderName: "DETR", requested: "100", granted: "100", paid: "50", comment: "" },
  ),
  "POST /t/:slug/gestion/actions/:id/suivi/notes": post("/notes", () => ({ body: "Note de la matrice", visibility: "confidential" })),
  "POST /t/:slug/gestion/actions/:id/suivi/notes#menee": post("/notes", () => ({ body: "Note de la matrice", visibility: "published" }), "mine"),
  "POST /t/:slug/gestion/actions/:id/suivi/notes/:itemId": onItem(
    "notes",
    async (c, actionId) => (await c.world.db.insert(actionNotes).values({ territoryId: c.t.id, actionId, body: "Note" }).returning({ id: actionNotes.id }))[0].id,
    { op: "publier" },
  ),
  "POST /t/:slug/gestion/actions/:id/suivi/documents": {
    build: async (c) => ({
      url: sheet(c, await fresh(c), "/documents"),
      form: { title: "Document de la matrice", visibility: "confidential" },
      file: { field: "file", filename: "matrice.pdf", content: PDF, contentType: "application/pdf" },
    }),
  },
  "POST /t/:slug/gestion/actions/:id/suivi/documents/:itemId": onItem("documents", (c, actionId) => document(c, actionId, "confidential"), { op: "publier" }),
  "POST /t/:slug/gestion/actions/:id/suivi/liens": { build: async (c) => ({ url: sheet(c, await fresh(c), "/liens"), form: { toActionId: String(c.t.publishedActionId), kind: "related" } }) },
  "POST /t/:slug/gestion/actions/:id/suivi/liens/:itemId": onItem(
    "liens",
    async (c, actionId) => (await c.world.db.insert(actionLinks).values({ territoryId: c.t.id, fromActionId: actionId, toActionId: c.t.publishedActionId }).returning({ id: actionLinks.id }))[0].id,
    { op: "supprimer" },
  ),
  "POST /t/:slug/gestion/actions/:id/suivi/indicateurs": {
    build: async (c) => {
      const [ind] = await c.world.db.insert(indicators).values({ code: `matrice-national-${c.n}`, name: `Indicateur national ${c.n}`, unit: "u" }).returning({ id: indicators.id });
      return { url: sheet(c, await fresh(c), "/indicateurs"), form: { indicatorId: String(ind.id), geoLevel: "territory", baselineValue: "", baselineDate: "", visibility: "published" } };
    },
  },
  "POST /t/:slug/gestion/actions/:id/suivi/indicateurs/nouveau": post("/indicateurs/nouveau", () => ({ name: "Indicateur de la matrice", unit: "entreprises", direction: "up", decimals: "0", baselineValue: "1", baselineDate: "2026-01-01", visibility: "published" })),
  "POST /t/:slug/gestion/actions/:id/suivi/indicateurs/:itemId": onItem("indicateurs", localIndicator, { op: "valeur", period: "2026-06-30", value: "12,5", source: "Matrice", comment: "" }),
  "GET /t/:slug/actions/:id/documents/:docId": { build: async (c) => ({ url: `/t/${c.slug}/actions/${c.t.publishedActionId}/documents/${await document(c, c.t.publishedActionId, "published")}` }) },
  "GET /t/:slug/actions/:id/documents/:docId#confidentiel": { build: async (c) => ({ url: `/t/${c.slug}/actions/${c.t.publishedActionId}/documents/${await document(c, c.t.publishedActionId, "confidential")}` }) },
  "GET /t/:slug/actions/:id/documents/:docId#brouillon": { build: async (c) => ({ url: `/t/${c.slug}/actions/${c.t.draftActionId}/documents/${await document(c, c.t.draftActionId, "published")}` }) },
  "GET /t/:slug/recherche": searchSpec,
};
