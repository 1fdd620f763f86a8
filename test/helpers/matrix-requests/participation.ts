// The concrete request of every row of the participation module's matrix (see test/helpers/matrix.ts):
// the workshops and Mon espace here, the proposals and questions in participation-proposals.ts.
// Each changing request works on fresh records.
import { randomBytes, randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { and, eq } from "drizzle-orm";
import { memberships, users } from "../../../src/core/db/schema.ts";
import { isValidSiret } from "../../../src/core/formats/identifiers.ts";
import { storeFile } from "../../../src/core/files/index.ts";
import { companies, establishments } from "../../../src/modules/companies/api.ts";
import { interests, notificationPreferences, registrations, workshopDocuments, workshops } from "../../../src/modules/participation/schema.ts";
import type { BuildContext, MatrixWorld, RequestSpec, TerritoryFixture } from "../matrix.ts";
import { proposalsRequests } from "./participation-proposals.ts";

const DAY = 86400_000;

/** A fresh workshop of the territory (published, in ten days, registrations open, theme of the fixture). */
async function freshWorkshop(world: MatrixWorld, t: TerritoryFixture, o: { status?: "draft" | "published"; capacity?: number; startsInMs?: number } = {}): Promise<number> {
  const n = world.next();
  const startsAt = new Date(Date.now() + (o.startsInMs ?? 10 * DAY));
  const [w] = await world.db
    .insert(workshops)
    .values({
      territoryId: t.id,
      themeId: t.themeId,
      title: `Atelier matrice ${n}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
      place: "Salle de la matrice",
      capacity: o.capacity ?? 10,
      status: o.status ?? "published",
      icsUid: `matrice-${randomUUID()}@collines`,
    })
    .returning({ id: workshops.id });
  return w.id;
}

/** A new account with an active industrialist role in the territory. */
async function freshIndustrialist(world: MatrixWorld, t: TerritoryFixture): Promise<number> {
  const n = world.next();
  const [u] = await world.db.insert(users).values({ email: `matrice-industriel-${n}-${randomBytes(3).toString("hex")}@exemple.fr`, displayName: `Industriel matrice ${n}` }).returning({ id: users.id });
  await world.db.insert(memberships).values({ userId: u.id, territoryId: t.id, role: "industrialist" });
  return u.id;
}

/** A valid SIRET no company of the run has (Luhn key computed). */
function freshSiret(): string {
  for (;;) {
    const base = `8${String(Math.floor(Math.random() * 1e12)).padStart(12, "0")}`;
    for (let d = 0; d < 10; d++) if (isValidSiret(`${base}${d}`)) return `${base}${d}`;
  }
}

/** A company of the territory with one establishment; returns its SIRET. */
async function freshCompany(world: MatrixWorld, t: TerritoryFixture): Promise<string> {
  const siret = freshSiret();
  const [c] = await world.db.insert(companies).values({ territoryId: t.id, siren: siret.slice(0, 9), name: `Entreprise matrice ${world.next()}` }).returning({ id: companies.id });
  await world.db.insert(establishments).values({ territoryId: t.id, companyId: c.id, siret });
  return siret;
}

/** An unsubscribe token of a fresh person of the territory. */
async function freshUnsubscribeToken(world: MatrixWorld, t: TerritoryFixture): Promise<string> {
  const userId = await freshIndustrialist(world, t);
  const token = randomBytes(24).toString("base64url");
  await world.db.insert(notificationPreferences).values({ territoryId: t.id, userId, unsubscribeToken: token });
  return token;
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

/** A document of a fresh workshop; returns both ids. */
async function freshDocument(world: MatrixWorld, t: TerritoryFixture, status: "draft" | "published" = "published"): Promise<{ workshopId: number; docId: number }> {
  const workshopId = await freshWorkshop(world, t, { status });
  const file = await world.db.transaction((tx) =>
    storeFile(tx, PDF, { dataDir: resolve(".tmp/data"), territoryId: t.id, uploadedBy: null, originalName: "compte-rendu.pdf", allowed: ["pdf"], maxBytes: 1024 * 1024 }),
  );
  const [d] = await world.db.insert(workshopDocuments).values({ territoryId: t.id, workshopId, fileId: file.id, title: `Compte rendu matrice ${world.next()}` }).returning({ id: workshopDocuments.id });
  return { workshopId, docId: d.id };
}

const workshopForm = (n: number) => {
  const day = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
  return { title: `Atelier matrice ${n}`, themeId: "", description: "", date: day, startTime: "09:30", endTime: "11:30", place: "Salle de la matrice", videoUrl: "", capacity: "12", registrationOpensAt: "", registrationClosesAt: "", status: "published", minutes: "" };
};

const gestion = (c: BuildContext) => `/t/${c.slug}/gestion/ateliers`;

export const participationRequests: Record<string, RequestSpec> = {
  "GET /t/:slug/ateliers": { build: (c) => ({ url: `/t/${c.slug}/ateliers` }) },
  "GET /t/:slug/ateliers/:id": { build: async (c) => ({ url: `/t/${c.slug}/ateliers/${await freshWorkshop(c.world, c.t)}` }) },
  "GET /t/:slug/ateliers/:id#brouillon": { build: async (c) => ({ url: `/t/${c.slug}/ateliers/${await freshWorkshop(c.world, c.t, { status: "draft" })}` }) },
  "GET /t/:slug/ateliers/:id/agenda.ics": { build: async (c) => ({ url: `/t/${c.slug}/ateliers/${await freshWorkshop(c.world, c.t)}/agenda.ics` }) },
  "GET /t/:slug/ateliers/:id/documents/:docId": {
    build: async (c) => {
      const d = await freshDocument(c.world, c.t);
      return { url: `/t/${c.slug}/ateliers/${d.workshopId}/documents/${d.docId}` };
    },
  },
  "GET /t/:slug/ateliers/:id/documents/:docId#brouillon": {
    build: async (c) => {
      const d = await freshDocument(c.world, c.t, "draft");
      return { url: `/t/${c.slug}/ateliers/${d.workshopId}/documents/${d.docId}` };
    },
  },
  "POST /t/:slug/ateliers/:id/inscription": { build: async (c) => ({ url: `/t/${c.slug}/ateliers/${await freshWorkshop(c.world, c.t)}/inscription` }) },
  "POST /t/:slug/ateliers/:id/desinscription": {
    build: async (c) => {
      const id = await freshWorkshop(c.world, c.t);
      if (c.person.userId) await c.world.db.insert(registrations).values({ territoryId: c.t.id, workshopId: id, userId: c.person.userId, status: "confirmed" });
      return { url: `/t/${c.slug}/ateliers/${id}/desinscription` };
    },
  },
  "GET /t/:slug/gestion/ateliers": { build: (c) => ({ url: gestion(c) }) },
  "GET /t/:slug/gestion/ateliers/nouveau": { build: (c) => ({ url: `${gestion(c)}/nouveau` }) },
  "POST /t/:slug/gestion/ateliers/nouveau": { build: (c) => ({ url: `${gestion(c)}/nouveau`, form: workshopForm(c.n) }) },
  "GET /t/:slug/gestion/ateliers/:id": { build: async (c) => ({ url: `${gestion(c)}/${await freshWorkshop(c.world, c.t)}` }) },
  "POST /t/:slug/gestion/ateliers/:id": { build: async (c) => ({ url: `${gestion(c)}/${await freshWorkshop(c.world, c.t)}`, form: workshopForm(c.n) }) },
  "POST /t/:slug/gestion/ateliers/:id/annuler": { build: async (c) => ({ url: `${gestion(c)}/${await freshWorkshop(c.world, c.t)}/annuler` }) },
  "POST /t/:slug/gestion/ateliers/:id/presences": {
    build: async (c) => {
      const id = await freshWorkshop(c.world, c.t, { startsInMs: -DAY });
      const userId = await freshIndustrialist(c.world, c.t);
      const [r] = await c.world.db.insert(registrations).values({ territoryId: c.t.id, workshopId: id, userId, status: "confirmed" }).returning({ id: registrations.id });
      return { url: `${gestion(c)}/${id}/presences`, form: { attended: String(r.id) } };
    },
  },
  "POST /t/:slug/gestion/ateliers/:id/inviter": {
    build: async (c) => {
      const id = await freshWorkshop(c.world, c.t);
      const userId = await freshIndustrialist(c.world, c.t);
      await c.world.db.insert(interests).values({ territoryId: c.t.id, userId, themeId: c.t.themeId, days: [] });
      return { url: `${gestion(c)}/${id}/inviter`, form: { userIds: String(userId) } };
    },
  },
  "POST /t/:slug/gestion/ateliers/:id/documents": {
    build: async (c) => ({
      url: `${gestion(c)}/${await freshWorkshop(c.world, c.t)}/documents`,
      form: { documentTitle: `Compte rendu matrice ${c.n}` },
      file: { field: "file", filename: "compte-rendu.pdf", content: PDF, contentType: "application/pdf" },
    }),
  },
  "POST /t/:slug/gestion/ateliers/:id/documents/:docId/supprimer": {
    build: async (c) => {
      const d = await freshDocument(c.world, c.t);
      return { url: `${gestion(c)}/${d.workshopId}/documents/${d.docId}/supprimer` };
    },
  },
  "GET /t/:slug/mon-espace": { build: (c) => ({ url: `/t/${c.slug}/mon-espace` }) },
  "POST /t/:slug/mon-espace/preferences": {
    build: async (c) => {
      // The opposite of the person's current digest choice, so that the request changes something.
      const [p] = c.person.userId
        ? await c.world.db.select().from(notificationPreferences).where(and(eq(notificationPreferences.territoryId, c.t.id), eq(notificationPreferences.userId, c.person.userId)))
        : [];
      return { url: `/t/${c.slug}/mon-espace/preferences`, form: { workshopEmails: "on", proposalEmails: "on", ...(p?.monthlyDigest ? {} : { monthlyDigest: "on" }) } };
    },
  },
  "POST /t/:slug/mon-espace/entreprise": { build: async (c) => ({ url: `/t/${c.slug}/mon-espace/entreprise`, form: { siret: await freshCompany(c.world, c.t) } }) },
  "GET /t/:slug/participer": { build: (c) => ({ url: `/t/${c.slug}/participer` }) },
  "POST /t/:slug/participer": { build: (c) => ({ url: `/t/${c.slug}/participer`, form: { themeIds: String(c.t.themeId), days: ["1", "4"], frequency: "quarterly", format: "either", comment: "" } }) },
  "GET /t/:slug/desabonnement/:token": { build: async (c) => ({ url: `/t/${c.slug}/desabonnement/${await freshUnsubscribeToken(c.world, c.t)}` }) },
  "POST /t/:slug/desabonnement/:token": { build: async (c) => ({ url: `/t/${c.slug}/desabonnement/${await freshUnsubscribeToken(c.world, c.t)}` }) },
  ...proposalsRequests,
};
