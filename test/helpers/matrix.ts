// The permission matrix's requests: for each row of the modules' matrix.ts files, a concrete
// request built from the seeded territories (their slug, ids of THEIR records), with a valid body,
// sent as one person of one role. Mutating requests work on fresh records so rows never interfere.
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, max } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { MATRIX_ROLES, type MatrixRole, type ModuleMatrix, type Outcome } from "../../src/core/authz/matrix.ts";
import { ANONYMOUS } from "../../src/core/authz/index.ts";
import { randomToken, SESSION_COOKIE, sha256 } from "../../src/core/auth/session.ts";
import { hashPassword } from "../../src/core/auth/password.ts";
import { recordAudit } from "../../src/core/audit/index.ts";
import { funderGrants, memberships, oneTimeTokens, platformSettings, sessions, users, type Role } from "../../src/core/db/schema.ts";
import { modules } from "../../src/modules/index.ts";
import { createInvitation } from "../../src/modules/members/api.ts";
import { actionPartners, actions, objectives, themes } from "../../src/modules/plan/schema.ts";
import { territories, territoryAuthorities, territoryContacts } from "../../src/modules/territories/schema.ts";
import { systemMatrix } from "../../src/modules/system/matrix.ts";
import { accountsMatrix } from "../../src/modules/accounts/matrix.ts";
import { territoriesMatrix } from "../../src/modules/territories/matrix.ts";
import { planMatrix } from "../../src/modules/plan/matrix.ts";
import { auditMatrix } from "../../src/modules/audit/matrix.ts";
import { membersMatrix } from "../../src/modules/members/matrix.ts";
import { observatoryMatrix } from "../../src/modules/observatory/matrix.ts";
import { governanceMatrix } from "../../src/modules/governance/matrix.ts";
import { reportsMatrix } from "../../src/modules/reports/matrix.ts";
import { companiesMatrix } from "../../src/modules/companies/matrix.ts";
import { participationMatrix } from "../../src/modules/participation/matrix.ts";
import { planRequests } from "./matrix-requests/plan.ts";
import { observatoryRequests } from "./matrix-requests/observatory.ts";
import { governanceRequests } from "./matrix-requests/governance.ts";
import { reportsRequests } from "./matrix-requests/reports.ts";
import { companiesRequests } from "./matrix-requests/companies.ts";
import { participationRequests } from "./matrix-requests/participation.ts";
import type { TestApp } from "./app.ts";

/** Each module's declared matrix, by module id (a module without one fails the matrix test). */
export const MATRICES: Record<string, ModuleMatrix> = {
  system: systemMatrix,
  accounts: accountsMatrix,
  territories: territoriesMatrix,
  plan: planMatrix,
  audit: auditMatrix,
  members: membersMatrix,
  observatory: observatoryMatrix,
  governance: governanceMatrix,
  reports: reportsMatrix,
  companies: companiesMatrix,
  participation: participationMatrix,
};

/** Every row of every module: [key, outcomes by role], in module then declaration order. */
export function matrixRows(): [string, Record<MatrixRole, Outcome>][] {
  return modules.flatMap((m) => Object.entries(MATRICES[m.id] ?? {}));
}

/** "POST /t/:slug/x#variant" → { method, url }. */
export function parseKey(key: string): { method: "GET" | "POST"; url: string; route: string } {
  const route = key.split("#")[0];
  const [method, url] = route.split(" ");
  return { method: method as "GET" | "POST", url, route };
}

// Titles that tell, in any page, CSV or JSON, whether unpublished content was shown.
export const DRAFT_MARK = "MATRICE-BROUILLON";
export const CONFIDENTIAL_MARK = "MATRICE-CONFIDENTIEL";
const PASSWORD = "phrase de passe de la matrice 2026";

/** One person of one role, with an open session (none for anonymous). */
export interface Person {
  role: MatrixRole;
  territory: string;
  userId?: number;
  email?: string;
  session?: string;
}

/** The records of a territory the requests name (seeded, or added for the matrix). */
export interface TerritoryFixture {
  slug: string;
  id: number;
  themeId: number;
  objectiveId: number;
  publishedActionId: number;
  draftActionId: number;
  confidentialActionId: number;
  contactId: number;
  nextNumber: number;
  /** The intercommunalité the limited agent is limited to (the first), and another one. */
  limitedAuthorityId: number;
  otherAuthorityId: number;
}

/** What a builder gets: where the records come from, which slug the URL names, who sends it. */
export interface BuildContext {
  world: MatrixWorld;
  /** The territory whose records the request names. */
  t: TerritoryFixture;
  /** The slug in the URL (another territory's, to try its records under the wrong address). */
  slug: string;
  person: Person;
  n: number;
}

export interface BuiltRequest {
  url: string;
  form?: Record<string, string | string[]>;
  cookies?: Record<string, string>;
  /** A file sent with the form: the request becomes multipart/form-data. */
  file?: { field: string; filename: string; content: Buffer; contentType?: string };
}

export interface RequestSpec {
  /** The request ends the session (a session of its own) or the account (an account of its own). */
  actor?: "fresh-session" | "fresh-user";
  /** A page that lists the plan: what it shows tells allow, follow_up and filtered apart. */
  lists?: boolean;
  /** A success that redirects to the sign-in page (it is not a "login" answer then). */
  successRedirect?: string;
  build(c: BuildContext): BuiltRequest | Promise<BuiltRequest>;
}

/** A fresh e-mail address. */
const email = (what: string, n: number) => `matrice-${what}-${n}-${randomBytes(3).toString("hex")}@exemple.fr`;
const plain = (url: string): RequestSpec => ({ build: () => ({ url }) });
const inT = (path: string, lists = false): RequestSpec => ({ lists, build: (c) => ({ url: `/t/${c.slug}${path}` }) });

/** The request of every row, by matrix key. */
const BASE_REQUESTS: Record<string, RequestSpec> = {
  // ——— system ———
  "GET /healthz": plain("/healthz"),
  "GET /readyz": plain("/readyz"),
  "GET /api/openapi.json": plain("/api/openapi.json"),

  // ——— accounts ———
  "GET /connexion": plain("/connexion"),
  "POST /connexion": { build: (c) => ({ url: "/connexion", form: { email: c.world.signInEmail, password: PASSWORD } }) },
  "POST /deconnexion": { actor: "fresh-session", build: () => ({ url: "/deconnexion" }) },
  "GET /installation/:token": { build: () => ({ url: `/installation/${randomToken()}` }) },
  "POST /installation/:token": {
    build: (c) => ({ url: `/installation/${randomToken()}`, form: { displayName: "Admin matrice", email: email("installation", c.n), password: PASSWORD, confirm: PASSWORD } }),
  },
  "GET /gestion": plain("/gestion"),
  "GET /mot-de-passe-oublie": plain("/mot-de-passe-oublie"),
  "POST /mot-de-passe-oublie": { build: (c) => ({ url: "/mot-de-passe-oublie", form: { email: email("oubli", c.n) } }) },
  "GET /mot-de-passe/:token": { build: async (c) => ({ url: `/mot-de-passe/${await c.world.resetToken()}` }) },
  "POST /mot-de-passe/:token": {
    successRedirect: "/connexion",
    build: async (c) => ({ url: `/mot-de-passe/${await c.world.resetToken()}`, form: { password: `${PASSWORD} ${c.n}`, confirm: `${PASSWORD} ${c.n}` } }),
  },
  "GET /compte": plain("/compte"),
  "POST /compte/sessions/:id/fermer": { build: async (c) => ({ url: `/compte/sessions/${await c.world.extraSession(c.person)}/fermer` }) },
  "POST /compte/sessions/fermer-tout": { actor: "fresh-user", successRedirect: "/connexion", build: () => ({ url: "/compte/sessions/fermer-tout" }) },
  "GET /dev/outbox": plain("/dev/outbox"),
  "GET /connexion/lien": plain("/connexion/lien"),
  "POST /connexion/lien": { build: (c) => ({ url: "/connexion/lien", form: { email: email("lien", c.n) } }) },
  "GET /connexion/lien/:token": { build: (c) => c.world.magicLink() },
  "POST /connexion/lien/:token": { build: (c) => c.world.magicLink() },
  "GET /inscription": plain("/inscription"),
  "GET /t/:slug/inscription": inT("/inscription"),
  "POST /t/:slug/inscription": {
    build: (c) => ({ url: `/t/${c.slug}/inscription`, form: { email: email("inscription", c.n), displayName: "Industriel matrice", company: "Entreprise matrice", siret: "", consent: "on" } }),
  },
  "GET /t/:slug/inscription/:token": { build: (c) => c.world.signupLink(c) },
  "POST /t/:slug/inscription/:token": { build: (c) => c.world.signupLink(c) },
  "GET /connexion/oidc": plain("/connexion/oidc"),
  "GET /connexion/oidc/retour": plain("/connexion/oidc/retour?code=x&state=y"),
  "GET /compte/donnees.json": plain("/compte/donnees.json"),
  "GET /compte/fermer": plain("/compte/fermer"),
  "POST /compte/fermer": {
    actor: "fresh-user",
    build: async (c) => {
      // An earlier entry names the account: closing it must erase the e-mail there (the RGPD rewrite).
      if (c.person.userId) await c.world.auditAboutUser(c.person);
      return { url: "/compte/fermer", form: { email: c.person.email ?? "personne@exemple.fr", confirm: "on" } };
    },
  },
  "GET /gestion/parametres": plain("/gestion/parametres"),
  "POST /gestion/parametres": { build: () => ({ url: "/gestion/parametres", form: { inactiveMonths: "120" } }) },
  "POST /gestion/parametres/retention": {
    build: async (c) => {
      // Something to apply: a duration, and an account unused for longer.
      await c.world.staleAccount();
      return { url: "/gestion/parametres/retention" };
    },
  },

  // ——— territories ———
  "GET /": plain("/"),
  "GET /t/:slug": inT("", true),
  "GET /t/:slug/gouvernance": inT("/gouvernance"),
  "GET /t/:slug/contact": inT("/contact"),
  "GET /t/:slug/presentation": inT("/presentation"),
  "GET /t/:slug/mentions-legales": inT("/mentions-legales"),
  "GET /t/:slug/accessibilite": inT("/accessibilite"),
  "GET /t/:slug/donnees-personnelles": inT("/donnees-personnelles"),
  "GET /t/:slug/plan-du-site": inT("/plan-du-site", true),
  "GET /mentions-legales": plain("/mentions-legales"),
  "GET /accessibilite": plain("/accessibilite"),
  "GET /donnees-personnelles": plain("/donnees-personnelles"),
  "GET /plan-du-site": plain("/plan-du-site"),
  "GET /api/v1/territories": plain("/api/v1/territories"),
  "GET /t/:slug/gestion/pages": inT("/gestion/pages"),
  "GET /t/:slug/gestion/pages/:key": inT("/gestion/pages/presentation"),
  "POST /t/:slug/gestion/pages/:key": { build: (c) => ({ url: `/t/${c.slug}/gestion/pages/presentation`, form: { body: `Présentation écrite par la matrice n° ${c.n}.` } }) },
  "GET /t/:slug/gestion/coordonnees": inT("/gestion/coordonnees"),
  "GET /t/:slug/gestion/coordonnees/nouveau": inT("/gestion/coordonnees/nouveau"),
  "POST /t/:slug/gestion/coordonnees/nouveau": { build: (c) => ({ url: `/t/${c.slug}/gestion/coordonnees/nouveau`, form: contactForm(c.n) }) },
  "GET /t/:slug/gestion/coordonnees/:id": { build: (c) => ({ url: `/t/${c.slug}/gestion/coordonnees/${c.t.contactId}` }) },
  "POST /t/:slug/gestion/coordonnees/:id": { build: async (c) => ({ url: `/t/${c.slug}/gestion/coordonnees/${await c.world.freshContact(c.t)}`, form: contactForm(c.n) }) },
  "GET /t/:slug/gestion/coordonnees/:id/supprimer": { build: (c) => ({ url: `/t/${c.slug}/gestion/coordonnees/${c.t.contactId}/supprimer` }) },
  "POST /t/:slug/gestion/coordonnees/:id/supprimer": { build: async (c) => ({ url: `/t/${c.slug}/gestion/coordonnees/${await c.world.freshContact(c.t)}/supprimer` }) },
  "POST /t/:slug/gestion/coordonnees/:id/monter": { build: async (c) => ({ url: `/t/${c.slug}/gestion/coordonnees/${await c.world.freshContact(c.t, "last")}/monter` }) },
  "POST /t/:slug/gestion/coordonnees/:id/descendre": { build: async (c) => ({ url: `/t/${c.slug}/gestion/coordonnees/${await c.world.freshContact(c.t, "first")}/descendre` }) },

  // ——— plan ———
  "GET /t/:slug/plan": inT("/plan", true),
  "GET /t/:slug/actions/:id": { build: (c) => ({ url: `/t/${c.slug}/actions/${c.t.publishedActionId}` }) },
  "GET /t/:slug/actions/:id#brouillon": { build: (c) => ({ url: `/t/${c.slug}/actions/${c.t.draftActionId}` }) },
  "GET /t/:slug/actions/:id#confidentiel": { build: (c) => ({ url: `/t/${c.slug}/actions/${c.t.confidentialActionId}` }) },
  "GET /t/:slug/plan.csv": inT("/plan.csv", true),
  "GET /api/v1/territories/:slug/plan": { lists: true, build: (c) => ({ url: `/api/v1/territories/${c.slug}/plan` }) },
  "GET /api/v1/territories/:slug/actions/:id": { build: (c) => ({ url: `/api/v1/territories/${c.slug}/actions/${c.t.publishedActionId}` }) },
  "GET /api/v1/territories/:slug/actions/:id#brouillon": { build: (c) => ({ url: `/api/v1/territories/${c.slug}/actions/${c.t.draftActionId}` }) },
  "GET /api/v1/territories/:slug/actions/:id#confidentiel": { build: (c) => ({ url: `/api/v1/territories/${c.slug}/actions/${c.t.confidentialActionId}` }) },
  "GET /t/:slug/suivi": inT("/suivi", true),
  "GET /gestion/suivi": plain("/gestion/suivi"),
  "GET /t/:slug/gestion": inT("/gestion", true),
  "GET /t/:slug/gestion/thematiques/nouvelle": inT("/gestion/thematiques/nouvelle"),
  "POST /t/:slug/gestion/thematiques/nouvelle": { build: (c) => ({ url: `/t/${c.slug}/gestion/thematiques/nouvelle`, form: themeForm(c.n) }) },
  "GET /t/:slug/gestion/thematiques/:id": { build: (c) => ({ url: `/t/${c.slug}/gestion/thematiques/${c.t.themeId}` }) },
  "POST /t/:slug/gestion/thematiques/:id": { build: async (c) => ({ url: `/t/${c.slug}/gestion/thematiques/${await c.world.freshTheme(c.t)}`, form: themeForm(c.n) }) },
  "POST /t/:slug/gestion/thematiques/:id/monter": { build: async (c) => ({ url: `/t/${c.slug}/gestion/thematiques/${await c.world.freshTheme(c.t, { at: "last" })}/monter` }) },
  "POST /t/:slug/gestion/thematiques/:id/descendre": { build: async (c) => ({ url: `/t/${c.slug}/gestion/thematiques/${await c.world.freshTheme(c.t, { at: "first" })}/descendre` }) },
  "POST /t/:slug/gestion/thematiques/:id/archiver": { build: async (c) => ({ url: `/t/${c.slug}/gestion/thematiques/${await c.world.freshTheme(c.t)}/archiver` }) },
  "POST /t/:slug/gestion/thematiques/:id/restaurer": { build: async (c) => ({ url: `/t/${c.slug}/gestion/thematiques/${await c.world.freshTheme(c.t, { archived: true })}/restaurer` }) },
  "GET /t/:slug/gestion/objectifs/nouveau": inT("/gestion/objectifs/nouveau"),
  "POST /t/:slug/gestion/objectifs/nouveau": { build: (c) => ({ url: `/t/${c.slug}/gestion/objectifs/nouveau`, form: objectiveForm(c.t, c.n) }) },
  "GET /t/:slug/gestion/objectifs/:id": { build: (c) => ({ url: `/t/${c.slug}/gestion/objectifs/${c.t.objectiveId}` }) },
  "POST /t/:slug/gestion/objectifs/:id": { build: async (c) => ({ url: `/t/${c.slug}/gestion/objectifs/${await c.world.freshObjective(c.t)}`, form: objectiveForm(c.t, c.n) }) },
  "POST /t/:slug/gestion/objectifs/:id/monter": { build: async (c) => ({ url: `/t/${c.slug}/gestion/objectifs/${await c.world.freshObjective(c.t, { at: "last" })}/monter` }) },
  "POST /t/:slug/gestion/objectifs/:id/descendre": { build: async (c) => ({ url: `/t/${c.slug}/gestion/objectifs/${await c.world.freshObjective(c.t, { at: "first" })}/descendre` }) },
  "POST /t/:slug/gestion/objectifs/:id/archiver": { build: async (c) => ({ url: `/t/${c.slug}/gestion/objectifs/${await c.world.freshObjective(c.t)}/archiver` }) },
  "POST /t/:slug/gestion/objectifs/:id/restaurer": { build: async (c) => ({ url: `/t/${c.slug}/gestion/objectifs/${await c.world.freshObjective(c.t, { archived: true })}/restaurer` }) },
  "GET /t/:slug/gestion/actions/nouvelle": inT("/gestion/actions/nouvelle"),
  "POST /t/:slug/gestion/actions/nouvelle": { build: (c) => ({ url: `/t/${c.slug}/gestion/actions/nouvelle`, form: actionForm(c.t, c.world.nextNumber(c.t), c.n) }) },
  "POST /t/:slug/gestion/actions/nouvelle#menee": { build: (c) => ({ url: `/t/${c.slug}/gestion/actions/nouvelle`, form: actionForm(c.t, c.world.nextNumber(c.t), c.n, "mine") }) },
  "GET /t/:slug/gestion/actions/:id": { build: (c) => ({ url: `/t/${c.slug}/gestion/actions/${c.t.draftActionId}` }) },
  "GET /t/:slug/gestion/actions/:id#menee": { build: async (c) => ({ url: `/t/${c.slug}/gestion/actions/${(await c.world.freshAction(c.t, { lead: "mine" })).id}` }) },
  "GET /t/:slug/gestion/actions/:id#partenaire": { build: async (c) => ({ url: `/t/${c.slug}/gestion/actions/${(await c.world.freshAction(c.t, { lead: "partner" })).id}` }) },
  ...Object.fromEntries(
    ([undefined, "mine", "partner"] as Lead[]).map((lead) => [
      `POST /t/:slug/gestion/actions/:id${lead ? `#${lead === "mine" ? "menee" : "partenaire"}` : ""}`,
      {
        build: async (c: BuildContext) => {
          const a = await c.world.freshAction(c.t, { lead });
          return { url: `/t/${c.slug}/gestion/actions/${a.id}`, form: actionForm(c.t, a.number, c.n, lead) };
        },
      } satisfies RequestSpec,
    ]),
  ),
  ...actionRequests("monter", ["mine"], "last"),
  ...actionRequests("descendre", ["mine"], "first"),
  ...actionRequests("archiver", ["mine"]),
  ...actionRequests("restaurer", ["mine"], undefined, true),

  // ——— audit ———
  "GET /t/:slug/gestion/journal": inT("/gestion/journal"),
  "GET /t/:slug/gestion/journal.csv": inT("/gestion/journal.csv"),

  // ——— members ———
  "GET /t/:slug/gestion/membres": inT("/gestion/membres"),
  "POST /t/:slug/gestion/membres/:id/modifier": {
    build: async (c) => {
      const id = await c.world.freshMembership(c.t, "committee_member", "active");
      return { url: `/t/${c.slug}/gestion/membres/${id}/modifier`, form: { [`role-${id}`]: "industrialist", [`authority-${id}`]: "" } };
    },
  },
  "POST /t/:slug/gestion/membres/:id/retirer": { build: async (c) => ({ url: `/t/${c.slug}/gestion/membres/${await c.world.freshMembership(c.t, "committee_member", "active")}/retirer` }) },
  "POST /t/:slug/gestion/membres/:id/confirmer": { build: async (c) => ({ url: `/t/${c.slug}/gestion/membres/${await c.world.freshMembership(c.t, "industrialist", "pending")}/confirmer` }) },
  "POST /t/:slug/gestion/membres/:id/refuser": { build: async (c) => ({ url: `/t/${c.slug}/gestion/membres/${await c.world.freshMembership(c.t, "industrialist", "pending")}/refuser` }) },
  "POST /t/:slug/gestion/membres/invitations": {
    build: (c) => ({ url: `/t/${c.slug}/gestion/membres/invitations`, form: { email: email("invite", c.n), role: "committee_member", authorityId: "" } }),
  },
  "POST /t/:slug/gestion/membres/invitations/:id/renvoyer": { build: async (c) => ({ url: `/t/${c.slug}/gestion/membres/invitations/${(await c.world.freshInvitation(c.t)).id}/renvoyer` }) },
  "POST /t/:slug/gestion/membres/invitations/:id/annuler": { build: async (c) => ({ url: `/t/${c.slug}/gestion/membres/invitations/${(await c.world.freshInvitation(c.t)).id}/annuler` }) },
  "GET /invitation/:token": { build: async (c) => ({ url: `/invitation/${(await c.world.freshInvitation(c.t)).token}` }) },
  "POST /invitation/:token": {
    build: async (c) => ({ url: `/invitation/${(await c.world.freshInvitation(c.t)).token}`, form: { displayName: "Invité matrice", password: PASSWORD, confirm: PASSWORD } }),
  },
  "GET /gestion/territoires/nouveau": plain("/gestion/territoires/nouveau"),
  "POST /gestion/territoires/nouveau": {
    build: (c) => ({ url: "/gestion/territoires/nouveau", form: { name: `Territoire matrice ${c.n}`, slug: `matrice-${c.n}-${randomBytes(2).toString("hex")}`, sirens: "200071520", adminEmail: email("admin", c.n) } }),
  },
  "GET /gestion/financeurs": plain("/gestion/financeurs"),
  "POST /gestion/financeurs": { build: async (c) => ({ url: "/gestion/financeurs", form: { email: await c.world.freshAccount(), label: `Financeur matrice ${c.n}`, scope: `t:${c.t.id}` } }) },
  "POST /gestion/financeurs#nouvelle-adresse": { build: (c) => ({ url: "/gestion/financeurs", form: { email: email("financeur", c.n), label: `Financeur matrice ${c.n}`, scope: `t:${c.t.id}` } }) },
  "POST /gestion/financeurs/:id/retirer": { build: async (c) => ({ url: `/gestion/financeurs/${await c.world.freshGrant(c.t)}/retirer` }) },
  "POST /gestion/financeurs/invitations/:id/renvoyer": { build: async (c) => ({ url: `/gestion/financeurs/invitations/${(await c.world.freshInvitation(c.t, "funder")).id}/renvoyer` }) },
  "POST /gestion/financeurs/invitations/:id/annuler": { build: async (c) => ({ url: `/gestion/financeurs/invitations/${(await c.world.freshInvitation(c.t, "funder")).id}/annuler` }) },
};

/** The request of every row, by matrix key: the base modules' above, the newer modules' in matrix-requests/. */
export const REQUESTS: Record<string, RequestSpec> = {
  ...BASE_REQUESTS,
  ...planRequests,
  ...observatoryRequests,
  ...governanceRequests,
  ...reportsRequests,
  ...companiesRequests,
  ...participationRequests,
};

function contactForm(n: number) {
  return { service: `Service de la matrice ${n}`, phone: "02 31 66 27 96", email: "matrice@exemple.fr", address: `${n} rue de la Matrice, 61100 Flers` };
}
function themeForm(n: number) {
  return { code: `MX${n}`, title: `Thématique ${DRAFT_MARK} ${n}`, description: "", visibility: "draft" };
}
function objectiveForm(t: TerritoryFixture, n: number) {
  return { themeId: String(t.themeId), title: `Objectif ${DRAFT_MARK} ${n}`, description: "", visibility: "draft" };
}
/** Who leads a fresh action, for the agent limited to one intercommunalité: it (mine), a joint ◆ partner of it (partner), or nobody. */
type Lead = "mine" | "partner" | undefined;

function actionForm(t: TerritoryFixture, number: number, n: number, lead?: Lead): Record<string, string | string[]> {
  return {
    objectiveId: String(t.objectiveId),
    number: String(number),
    title: `Action ${DRAFT_MARK} ${n}`,
    description: "",
    status: "planned",
    visibility: "draft",
    leadAuthorityId: lead === "mine" ? String(t.limitedAuthorityId) : lead === "partner" ? String(t.otherAuthorityId) : "",
    ...(lead === "partner" ? { joint: "on", partnerAuthorityIds: [String(t.limitedAuthorityId)] } : {}),
    otherPartners: "",
    communeCode: "",
  };
}

/** The requests of an action route, for an action nobody leads and for the limited agent's own ones. */
function actionRequests(verb: string, variants: Lead[], at?: "first" | "last", archived?: boolean): Record<string, RequestSpec> {
  const key = `POST /t/:slug/gestion/actions/:id/${verb}`;
  const spec = (lead: Lead): RequestSpec => ({ build: async (c) => ({ url: `/t/${c.slug}/gestion/actions/${(await c.world.freshAction(c.t, { at, archived, lead })).id}/${verb}` }) });
  return Object.fromEntries([[key, spec(undefined)], ...variants.map((v) => [`${key}#${v === "mine" ? "menee" : "partenaire"}`, spec(v)])]);
}

/** What a row gave, and why it differs when it does. */
export interface RowResult {
  actual: string;
  detail: string;
  res: LightMyRequestResponse;
}

/**
 * One app with its two territories' fixtures and a person of every role in each, signed in once
 * (sessions written directly: the sign-in itself is a row of the matrix).
 */
export class MatrixWorld {
  private counter = 0;
  private csrf = { secret: "", token: "" };
  private fixtures = new Map<string, TerritoryFixture>();
  private people = new Map<string, Person>();
  signInEmail = "";
  private linkTargetId = 0;

  constructor(readonly t: TestApp) {}

  get db() {
    return this.t.database.db;
  }

  next(): number {
    return ++this.counter;
  }

  /** The CSRF pair every request uses (the token is bound to a cookie secret, not to a session). */
  async init(): Promise<void> {
    if (this.csrf.token) return;
    const page = await this.t.app.inject({ url: "/connexion" });
    const secret = (page.cookies as { name: string; value: string }[]).find((c) => c.name === "collines_csrf")?.value;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!secret || !token) throw new Error("Pas de jeton CSRF sur /connexion");
    this.csrf = { secret, token };
  }

  /** The CSRF pair, the fixtures of the territories and a person of every role in each. */
  async setup(slugs: string[]): Promise<void> {
    await this.init();
    const hash = await hashPassword(PASSWORD);
    this.signInEmail = email("connexion", 0);
    await this.db.insert(users).values({ email: this.signInEmail, displayName: "Connexion matrice", passwordHash: hash });
    const [target] = await this.db.insert(users).values({ email: email("cible", 0), displayName: "Cible matrice", passwordHash: hash }).returning({ id: users.id });
    this.linkTargetId = target.id;
    for (const slug of slugs) {
      this.fixtures.set(slug, await this.makeFixture(slug));
      for (const role of MATRIX_ROLES) this.people.set(`${slug}:${role}`, await this.makePerson(slug, role));
    }
  }

  fixture(slug: string): TerritoryFixture {
    const f = this.fixtures.get(slug);
    if (!f) throw new Error(`Territoire sans fixture : ${slug}`);
    return f;
  }

  person(slug: string, role: MatrixRole): Person {
    return this.people.get(`${slug}:${role}`)!;
  }

  private async makeFixture(slug: string): Promise<TerritoryFixture> {
    const db = this.db;
    const [tr] = await db.select().from(territories).where(eq(territories.slug, slug));
    const [theme] = await db.select().from(themes).where(and(eq(themes.territoryId, tr.id), eq(themes.visibility, "published"), isNull(themes.archivedAt))).orderBy(asc(themes.position)).limit(1);
    const [objective] = await db
      .select()
      .from(objectives)
      .where(and(eq(objectives.themeId, theme.id), eq(objectives.visibility, "published"), isNull(objectives.archivedAt)))
      .orderBy(asc(objectives.position))
      .limit(1);
    const [published] = await db
      .select()
      .from(actions)
      .where(and(eq(actions.objectiveId, objective.id), eq(actions.visibility, "published"), isNull(actions.archivedAt)))
      .orderBy(asc(actions.position))
      .limit(1);
    const [{ top }] = await db.select({ top: max(actions.number) }).from(actions).where(eq(actions.territoryId, tr.id));
    const auths = await db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, tr.id)).orderBy(asc(territoryAuthorities.position));
    if (auths.length < 2) throw new Error(`${slug} n'a pas deux intercommunalités`);
    const f: TerritoryFixture = {
      slug,
      id: tr.id,
      themeId: theme.id,
      objectiveId: objective.id,
      publishedActionId: published.id,
      draftActionId: 0,
      confidentialActionId: 0,
      contactId: 0,
      nextNumber: Number(top ?? 0) + 1,
      limitedAuthorityId: auths[0].id,
      otherAuthorityId: auths[1].id,
    };
    // An unpublished action of each kind under a published objective: drafts are the staff's, confidential items the follow-up's.
    f.draftActionId = (await this.freshAction(f)).id;
    const [conf] = await db
      .insert(actions)
      .values({ territoryId: tr.id, objectiveId: objective.id, number: this.nextNumber(f), title: `Action ${CONFIDENTIAL_MARK} ${slug}`, visibility: "confidential", position: 500_000 })
      .returning({ id: actions.id });
    f.confidentialActionId = conf.id;
    const [contact] = await db.select().from(territoryContacts).where(eq(territoryContacts.territoryId, tr.id)).orderBy(asc(territoryContacts.position)).limit(1);
    f.contactId = contact?.id ?? (await this.freshContact(f));
    return f;
  }

  /** A new account of a role in a territory (a funder: a grant on it), with an open session. */
  async makePerson(slug: string, role: MatrixRole): Promise<Person> {
    if (role === "anonymous") return { role, territory: slug };
    const f = this.fixture(slug);
    const n = this.next();
    const address = email(role.replace("_", "-"), n);
    const [u] = await this.db
      .insert(users)
      .values({ email: address, displayName: `Matrice ${role} ${n}`, passwordHash: null, isPlatformAdmin: role === "platform_admin" })
      .returning({ id: users.id });
    if (role === "limited_agent") await this.db.insert(memberships).values({ userId: u.id, territoryId: f.id, role: "agent", authorityId: f.limitedAuthorityId });
    else if (role !== "platform_admin" && role !== "funder") await this.db.insert(memberships).values({ userId: u.id, territoryId: f.id, role: role as Role });
    if (role === "funder") await this.db.insert(funderGrants).values({ userId: u.id, label: `Financeur matrice ${n}`, territoryId: f.id });
    return { role, territory: slug, userId: u.id, email: address, session: await this.openSession(u.id) };
  }

  private async openSession(userId: number): Promise<string> {
    const token = randomToken();
    await this.db.insert(sessions).values({ idHash: sha256(token), userId, expiresAt: new Date(Date.now() + 86400_000) });
    return token;
  }

  /** Another session of the person; returns the id the account page shows (for closing it). */
  async extraSession(p: Person): Promise<string> {
    if (!p.userId) return randomBytes(8).toString("hex");
    return sha256(await this.openSession(p.userId)).slice(0, 16);
  }

  /** A person's own session (the request ends it) or account (the request closes it). */
  async freshPerson(p: Person, kind: "fresh-session" | "fresh-user"): Promise<Person> {
    if (!p.userId) return p;
    if (kind === "fresh-session") return { ...p, session: await this.openSession(p.userId) };
    return this.makePerson(p.territory, p.role);
  }

  /** An audit entry naming an account's e-mail (as its creation would). */
  async auditAboutUser(p: Person): Promise<void> {
    await this.db.transaction((tx) =>
      recordAudit(tx, { actor: ANONYMOUS, role: "test" }, { action: "create", entity: "user", entityId: p.userId, after: { email: p.email, displayName: `Matrice ${p.role}` } }),
    );
  }

  nextNumber(t: TerritoryFixture): number {
    return t.nextNumber++;
  }

  private position(at: "first" | "last" | undefined, n: number): number {
    return at === "first" ? -1_000_000 - n : 1_000_000 + n;
  }

  async freshTheme(t: TerritoryFixture, o: { at?: "first" | "last"; archived?: boolean } = {}): Promise<number> {
    const n = this.next();
    const [row] = await this.db
      .insert(themes)
      .values({ territoryId: t.id, code: `MF${n}`, title: `Thématique ${DRAFT_MARK} ${n}`, visibility: "draft", position: this.position(o.at, n), archivedAt: o.archived ? new Date() : null })
      .returning({ id: themes.id });
    return row.id;
  }

  async freshObjective(t: TerritoryFixture, o: { at?: "first" | "last"; archived?: boolean } = {}): Promise<number> {
    const n = this.next();
    const [row] = await this.db
      .insert(objectives)
      .values({ territoryId: t.id, themeId: t.themeId, title: `Objectif ${DRAFT_MARK} ${n}`, visibility: "draft", position: this.position(o.at, n), archivedAt: o.archived ? new Date() : null })
      .returning({ id: objectives.id });
    return row.id;
  }

  /** A draft action; `lead`: led by the limited agent's intercommunalité, or joint ◆ with it as partner (else no lead). */
  async freshAction(t: TerritoryFixture, o: { at?: "first" | "last"; archived?: boolean; lead?: Lead } = {}): Promise<{ id: number; number: number }> {
    const n = this.next();
    const number = this.nextNumber(t);
    const [row] = await this.db
      .insert(actions)
      .values({
        territoryId: t.id,
        objectiveId: t.objectiveId,
        number,
        title: `Action ${DRAFT_MARK} ${n}`,
        visibility: "draft",
        position: this.position(o.at, n),
        archivedAt: o.archived ? new Date() : null,
        leadAuthorityId: o.lead === "mine" ? t.limitedAuthorityId : o.lead === "partner" ? t.otherAuthorityId : null,
        joint: o.lead === "partner",
      })
      .returning({ id: actions.id });
    if (o.lead === "partner") await this.db.insert(actionPartners).values({ territoryId: t.id, actionId: row.id, authorityId: t.limitedAuthorityId, name: "Partenaire matrice", position: 0 });
    return { id: row.id, number };
  }

  async freshContact(t: TerritoryFixture, at?: "first" | "last"): Promise<number> {
    const n = this.next();
    const [row] = await this.db
      .insert(territoryContacts)
      .values({ territoryId: t.id, service: `Service de la matrice ${n}`, phone: "02 31 66 27 96", position: this.position(at, n) })
      .returning({ id: territoryContacts.id });
    return row.id;
  }

  /** A new account with a role (active) or a self-registration (pending) in the territory; returns the membership id. */
  async freshMembership(t: TerritoryFixture, role: Role, status: "active" | "pending"): Promise<number> {
    const n = this.next();
    const [u] = await this.db.insert(users).values({ email: email("membre", n), displayName: `Membre matrice ${n}` }).returning({ id: users.id });
    const [m] = await this.db.insert(memberships).values({ userId: u.id, territoryId: t.id, role, status }).returning({ id: memberships.id });
    return m.id;
  }

  /** An invitation of a new address to the territory (committee member), or a funder's invitation on it. */
  async freshInvitation(t: TerritoryFixture, kind: "member" | "funder" = "member"): Promise<{ id: string; token: string }> {
    const n = this.next();
    const address = email(kind === "funder" ? "invite-financeur" : "invite", n);
    const r = await this.db.transaction((tx) =>
      createInvitation(
        tx,
        { actor: ANONYMOUS, role: "test" },
        kind === "funder"
          ? { email: address, role: "funder", territoryId: t.id, grant: { label: `Financeur invité ${n}`, territoryId: t.id, regionCode: null } }
          : { email: address, role: "committee_member", territoryId: t.id },
      ),
    );
    return { id: r.payload.id, token: r.token };
  }

  /** The retention set to 120 months, and an account unused for longer (the retention closes it). */
  async staleAccount(): Promise<void> {
    const n = this.next();
    const value = { inactiveMonths: 120 };
    await this.db.insert(platformSettings).values({ key: "retention", value }).onConflictDoUpdate({ target: platformSettings.key, set: { value } });
    await this.db.insert(users).values({ email: email("inactif", n), displayName: `Compte inactif ${n}`, createdAt: new Date(Date.now() - 11 * 365 * 86400_000) });
  }

  /** A new account without any role; returns its e-mail. */
  async freshAccount(): Promise<string> {
    const n = this.next();
    const address = email("compte", n);
    await this.db.insert(users).values({ email: address, displayName: `Compte matrice ${n}` });
    return address;
  }

  /** A funder's grant on the territory, for a new account; returns the grant id. */
  async freshGrant(t: TerritoryFixture): Promise<number> {
    const n = this.next();
    const [u] = await this.db.insert(users).values({ email: email("accord", n), displayName: `Financeur matrice ${n}` }).returning({ id: users.id });
    const [g] = await this.db.insert(funderGrants).values({ userId: u.id, label: `Accès matrice ${n}`, territoryId: t.id }).returning({ id: funderGrants.id });
    return g.id;
  }

  /** A valid password-reset link for the target account. */
  async resetToken(): Promise<string> {
    const token = randomToken();
    await this.db.insert(oneTimeTokens).values({ tokenHash: sha256(token), purpose: "password_reset", payload: { userId: this.linkTargetId }, expiresAt: new Date(Date.now() + 30 * 60_000) });
    return token;
  }

  /** A valid sign-in link for the target account, with the asking browser's cookie. */
  async magicLink(): Promise<BuiltRequest> {
    const token = randomToken();
    const nonce = randomToken();
    await this.db.insert(oneTimeTokens).values({
      tokenHash: sha256(token),
      purpose: "magic_link",
      payload: { userId: this.linkTargetId, browser: sha256(nonce), retour: null },
      expiresAt: new Date(Date.now() + 15 * 60_000),
    });
    return { url: `/connexion/lien/${token}`, cookies: { collines_lien: nonce } };
  }

  /** A valid sign-up confirmation link in the territory, for a new address, with the asking browser's cookie. */
  async signupLink(c: BuildContext): Promise<BuiltRequest> {
    const token = randomToken();
    const nonce = randomToken();
    await this.db.insert(oneTimeTokens).values({
      tokenHash: sha256(token),
      purpose: "signup",
      payload: { territoryId: c.t.id, email: email("inscrit", c.n), displayName: "Industriel inscrit", company: "Entreprise matrice", siret: null, browser: sha256(nonce) },
      expiresAt: new Date(Date.now() + 60 * 60_000),
    });
    return { url: `/t/${c.slug}/inscription/${token}`, cookies: { collines_lien: nonce } };
  }

  /** Builds and sends one row's request; says what came back, as an outcome. */
  async send(key: string, who: Person, where: { slug: string; records: string }): Promise<RowResult> {
    const spec = REQUESTS[key];
    if (!spec) throw new Error(`Pas de requête pour ${key}`);
    const { method } = parseKey(key);
    const n = this.next();
    const person = spec.actor ? await this.freshPerson(who, spec.actor) : who;
    const built = await spec.build({ world: this, t: this.fixture(where.records), slug: where.slug, person, n });
    const res = await this.request(method, built, person);
    const location = res.headers.location ? ` → ${String(res.headers.location)}` : "";
    return { actual: classify(res, spec), detail: ` (${method} ${built.url}: HTTP ${res.statusCode}${location})`, res };
  }

  /** Sends a request as a person, like their browser would (session and CSRF cookies, the form's token). */
  async request(method: "GET" | "POST", built: BuiltRequest, person: Person): Promise<LightMyRequestResponse> {
    const n = this.next();
    const cookies: Record<string, string> = { collines_csrf: this.csrf.secret, ...(person.session ? { [SESSION_COOKIE]: person.session } : {}), ...built.cookies };
    const headers: Record<string, string> = { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; ") };
    let payload: string | Buffer | undefined;
    if (method === "POST" && built.file) {
      const boundary = `----matrice${n}`;
      const parts: Buffer[] = [];
      const field = (name: string, value: string) => parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
      field("_csrf", this.csrf.token);
      for (const [k, v] of Object.entries(built.form ?? {})) for (const x of Array.isArray(v) ? v : [v]) field(k, x);
      const f = built.file;
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType ?? "application/octet-stream"}\r\n\r\n`), f.content, Buffer.from(`\r\n--${boundary}--\r\n`));
      payload = Buffer.concat(parts);
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
    } else if (method === "POST") {
      const body = new URLSearchParams({ _csrf: this.csrf.token });
      for (const [k, v] of Object.entries(built.form ?? {})) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      payload = body.toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    // A distinct address per request: the per-address limits of sign-in and link requests stay out of the way.
    const remoteAddress = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    return this.t.app.inject({ method, url: built.url, headers, payload, remoteAddress });
  }

  /** The number of audit entries and the highest id. */
  async auditCount(): Promise<{ n: number; max: number }> {
    const [row] = await this.t.database.query<{ n: number | string; m: number | string | null }>("select count(*) as n, max(id) as m from audit_log");
    return { n: Number(row.n), max: Number(row.m ?? 0) };
  }

  /** A fingerprint of the audit entries up to an id: any change to one of them changes it. */
  async auditFingerprint(upTo: number): Promise<string> {
    const rows = await this.t.database.query<{ h: string | null }>(
      "select md5(coalesce(string_agg(concat_ws('|', id, territory_id, actor_id, actor_role, action, entity, entity_id, before::text, after::text, request_id, at::text), '~' order by id), '')) as h from audit_log where id <= $1",
      [upTo],
    );
    return rows[0].h ?? "";
  }
}

/** The outcome a response shows (see core/authz/matrix.ts), or its status when it is none of them. */
export function classify(res: LightMyRequestResponse, spec: RequestSpec): string {
  const s = res.statusCode;
  if (s === 403) return "forbidden";
  if (s === 404) return "not_found";
  if (s >= 300 && s < 400) {
    const to = String(res.headers.location ?? "");
    if (to.startsWith("/connexion") && !(spec.successRedirect && to === spec.successRedirect)) return "login";
    return "allow";
  }
  if (s >= 200 && s < 300) {
    if (!spec.lists) return "allow";
    if (res.body.includes(DRAFT_MARK)) return "allow";
    return res.body.includes(CONFIDENTIAL_MARK) ? "follow_up" : "filtered";
  }
  return `HTTP ${s}`;
}
