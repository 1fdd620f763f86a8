// The concrete request of every row of the companies module's matrix (see test/helpers/matrix.ts).
import { eq } from "drizzle-orm";
import { companies, companyContacts, companyUsers, establishments } from "../../../src/modules/companies/schema.ts";
import { users } from "../../../src/core/db/schema.ts";
import { sirenOf, siretOf } from "../../../scripts/generate-sirene-sample.ts";
import type { BuildContext, RequestSpec } from "../matrix.ts";

/** A fresh company of the request's territory (its records, whatever slug the URL names). */
async function company(c: BuildContext) {
  const n = c.world.next();
  const [row] = await c.world.db
    .insert(companies)
    .values({ territoryId: c.t.id, siren: sirenOf(50_000_000 + n), name: `Entreprise matrice ${n}`, searchText: `entreprise matrice ${n}` })
    .returning();
  return row;
}

async function establishment(c: BuildContext) {
  const co = await company(c);
  const [row] = await c.world.db.insert(establishments).values({ territoryId: c.t.id, companyId: co.id, siret: siretOf(co.siren, 1), communeCode: "61169" }).returning();
  return { co, e: row };
}

async function contact(c: BuildContext) {
  const co = await company(c);
  const [row] = await c.world.db.insert(companyContacts).values({ territoryId: c.t.id, companyId: co.id, name: `Contact matrice ${c.n}` }).returning();
  return { co, contact: row };
}

async function link(c: BuildContext) {
  const co = await company(c);
  const n = c.world.next();
  const [u] = await c.world.db.insert(users).values({ email: `matrice-entreprise-${n}-${Date.now()}@exemple.fr`, displayName: `Industriel matrice ${n}` }).returning();
  const [row] = await c.world.db.insert(companyUsers).values({ territoryId: c.t.id, companyId: co.id, userId: u.id, status: "pending", via: "request" }).returning();
  return { co, link: row };
}

const base = (c: BuildContext) => `/t/${c.slug}/gestion/entreprises`;

export const companiesRequests: Record<string, RequestSpec> = {
  "GET /t/:slug/gestion/entreprises": { build: (c) => ({ url: `${base(c)}?q=matrice` }) },
  "GET /t/:slug/gestion/entreprises/export.csv": { build: (c) => ({ url: `${base(c)}/export.csv` }) },
  "GET /t/:slug/gestion/entreprises/imports": { build: (c) => ({ url: `${base(c)}/imports` }) },
  "GET /t/:slug/gestion/entreprises/nouvelle": { build: (c) => ({ url: `${base(c)}/nouvelle` }) },
  "POST /t/:slug/gestion/entreprises/nouvelle": {
    build: (c) => ({ url: `${base(c)}/nouvelle`, form: { siren: sirenOf(60_000_000 + c.world.next()), name: `Nouvelle entreprise matrice ${c.n}` } }),
  },
  "GET /t/:slug/gestion/entreprises/:id": { build: async (c) => ({ url: `${base(c)}/${(await company(c)).id}` }) },
  "GET /t/:slug/gestion/entreprises/:id/modifier": { build: async (c) => ({ url: `${base(c)}/${(await company(c)).id}/modifier` }) },
  "POST /t/:slug/gestion/entreprises/:id/modifier": {
    build: async (c) => ({ url: `${base(c)}/${(await company(c)).id}/modifier`, form: { name: `Entreprise matrice renommée ${c.n}` } }),
  },
  "POST /t/:slug/gestion/entreprises/:id/etablissements": {
    build: async (c) => {
      const co = await company(c);
      return { url: `${base(c)}/${co.id}/etablissements`, form: { siret: siretOf(co.siren, 12), communeCode: "61169" } };
    },
  },
  "POST /t/:slug/gestion/entreprises/:id/etablissements/:establishmentId/fermer": {
    build: async (c) => {
      const { co, e } = await establishment(c);
      return { url: `${base(c)}/${co.id}/etablissements/${e.id}/fermer` };
    },
  },
  "POST /t/:slug/gestion/entreprises/:id/etablissements/:establishmentId/rouvrir": {
    build: async (c) => {
      const { co, e } = await establishment(c);
      await c.world.db.update(establishments).set({ active: false }).where(eq(establishments.id, e.id));
      return { url: `${base(c)}/${co.id}/etablissements/${e.id}/rouvrir` };
    },
  },
  "POST /t/:slug/gestion/entreprises/:id/contacts": {
    build: async (c) => ({ url: `${base(c)}/${(await company(c)).id}/contacts`, form: { name: `Contact matrice ${c.n}`, role: "Directrice" } }),
  },
  "GET /t/:slug/gestion/entreprises/:id/contacts/:contactId/modifier": {
    build: async (c) => {
      const { co, contact: x } = await contact(c);
      return { url: `${base(c)}/${co.id}/contacts/${x.id}/modifier` };
    },
  },
  "POST /t/:slug/gestion/entreprises/:id/contacts/:contactId/modifier": {
    build: async (c) => {
      const { co, contact: x } = await contact(c);
      return { url: `${base(c)}/${co.id}/contacts/${x.id}/modifier`, form: { name: `Contact matrice modifié ${c.n}` } };
    },
  },
  "POST /t/:slug/gestion/entreprises/:id/contacts/:contactId/supprimer": {
    build: async (c) => {
      const { co, contact: x } = await contact(c);
      return { url: `${base(c)}/${co.id}/contacts/${x.id}/supprimer` };
    },
  },
  "POST /t/:slug/gestion/entreprises/:id/comptes/:linkId/confirmer": {
    build: async (c) => {
      const { co, link: l } = await link(c);
      return { url: `${base(c)}/${co.id}/comptes/${l.id}/confirmer` };
    },
  },
  "POST /t/:slug/gestion/entreprises/:id/comptes/:linkId/retirer": {
    build: async (c) => {
      const { co, link: l } = await link(c);
      return { url: `${base(c)}/${co.id}/comptes/${l.id}/retirer` };
    },
  },
};
