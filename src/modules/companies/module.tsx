import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute, type RouteContext } from "../../core/http/registry.ts";
import type { Tx } from "../../core/db/client.ts";
import { can } from "../../core/authz/index.ts";
import { formValues, parseForm, type FieldErrors, type FormValues } from "../../core/forms/index.ts";
import { toCsv } from "../../core/formats/csv.ts";
import { loadHistory } from "../audit/api.ts";
import { companyCounts, exportRows, listImportRuns, loadCompany, PAGE_SIZE, pendingLinks, searchCompanies } from "./queries/companies.ts";
import {
  addContact,
  addEstablishment,
  companyCreateForm,
  companyEditForm,
  contactForm,
  createCompany,
  deleteContact,
  establishmentForm,
  setEstablishmentActive,
  updateCompany,
  updateContact,
} from "./commands/companies.ts";
import { confirmCompanyLink, removeCompanyLink } from "./commands/links.ts";
import { FormError, NotFoundError } from "./commands/errors.ts";
import { CompaniesListPage, companiesBase, CompanyFormPage, CompanyPage, ContactEditPage, ImportsPage } from "./pages/views.tsx";
import { companyDisplayName, establishmentDisplayAddress, establishmentDisplayName, legalCategoryLabel, nafLabel, sectionLabel, workforceLabel } from "./model.ts";
import { companyUsers } from "./schema.ts";
import { and, eq } from "drizzle-orm";
import "./policy.ts";

type Ctx = RouteContext<any, any>;
type Outcome<T> = { value: T } | { errors: FieldErrors } | { notFound: true };

/** Runs a command in one transaction and sorts its failures: bad input or absent record. */
async function attempt<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await ctx.database.db.transaction((tx) => fn(tx)) };
  } catch (e) {
    if (e instanceof FormError) return { errors: e.errors };
    if (e instanceof NotFoundError) return { notFound: true };
    throw e;
  }
}

const id = z.coerce.number().int().positive().max(2147483647);
const slugParams = z.object({ slug: z.string() });
const companyParams = z.object({ slug: z.string(), id });
const establishmentParams = z.object({ slug: z.string(), id, establishmentId: id });
const contactParams = z.object({ slug: z.string(), id, contactId: id });
const linkParams = z.object({ slug: z.string(), id, linkId: id });
const empty = (v: unknown) => (v === "" ? undefined : v);
const searchQuery = z.object({
  q: z.preprocess(empty, z.string().trim().max(200, { error: "La recherche ne doit pas dépasser 200 caractères." }).optional()),
  activite: z.preprocess(empty, z.string().regex(/^(industrie|[A-U])$/, { error: "Activité inconnue." }).optional()),
  page: z.preprocess(empty, z.coerce.number().int().min(1).max(100000).optional()),
});

const pageProps = (ctx: Ctx) => ({ actor: ctx.actor, territory: ctx.territory, csrfToken: ctx.csrfToken(), flash: ctx.flash });
const companyUrl = (ctx: Ctx, companyId: number, anchor = "") => `${companiesBase(ctx.territory)}/${companyId}${anchor}`;

/** The company page with everything known, optionally one of its forms in error. */
async function renderCompany(ctx: Ctx, companyId: number, state: { form?: "establishment" | "contact"; errors?: FieldErrors; values?: FormValues } = {}, status = 200) {
  const data = await loadCompany(ctx.database.db, ctx.territory.id, companyId);
  if (!data) return ctx.reply.callNotFound();
  const db = ctx.database.db;
  const [a, b, c, d] = await Promise.all([
    loadHistory(db, ctx.territory.id, "company", [companyId]),
    loadHistory(db, ctx.territory.id, "establishment", data.establishments.map((e) => e.id)),
    loadHistory(db, ctx.territory.id, "company_contact", data.contacts.map((x) => x.id)),
    loadHistory(db, ctx.territory.id, "company_user", data.links.map((x) => x.id)),
  ]);
  const history = [...a, ...b, ...c, ...d].sort((x, y) => +y.at - +x.at).slice(0, 100);
  return ctx.render(<CompanyPage {...pageProps(ctx)} data={data} history={history} {...state} />, status);
}

const csvCell = (v: string | null | undefined) => v ?? "";

/** Companies of a territory: search, company page, manual entries, contacts, linked accounts, CSV export. */
export const companiesModule = defineModule({
  id: "companies",
  routes: [
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/entreprises",
      summary: "Entreprises du territoire (recherche par nom, SIRET, activité, commune)",
      kind: "page",
      permission: "companies.company.read",
      params: slugParams,
      query: searchQuery,
      handler: async (ctx) => {
        const filters = { q: ctx.query.q, activite: ctx.query.activite, page: ctx.query.page };
        const [{ rows, total }, counts, pending] = await Promise.all([
          searchCompanies(ctx.database.db, ctx.territory.id, filters),
          companyCounts(ctx.database.db, ctx.territory.id),
          pendingLinks(ctx.database.db, ctx.territory.id),
        ]);
        return (
          <CompaniesListPage
            {...pageProps(ctx)}
            rows={rows}
            total={total}
            filters={filters}
            pageSize={PAGE_SIZE}
            counts={counts}
            pending={pending}
            canEdit={can(ctx.actor, "companies.company.edit", { territoryId: ctx.territory.id })}
          />
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/entreprises/export.csv",
      summary: "Export CSV des établissements des entreprises trouvées (sans données personnelles en diffusion restreinte)",
      kind: "file",
      permission: "companies.company.read",
      params: slugParams,
      query: searchQuery,
      handler: async (ctx) => {
        const rows = await exportRows(ctx.database.db, ctx.territory.id, { q: ctx.query.q, activite: ctx.query.activite });
        ctx.reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="entreprises-${ctx.territory.slug}.csv"`);
        return toCsv(
          ["SIRET", "SIREN", "Entreprise", "Forme juridique (code)", "Forme juridique", "Établissement", "Code NAF", "Activité", "Section NAF", "Tranche d'effectifs (code)", "Tranche d'effectifs", "Siège", "Adresse", "Code postal", "Code commune", "Commune", "Actif", "Diffusion"],
          rows.map((r) => {
            const unit = { name: r.companyName, diffusion: r.companyDiffusion, naturalPerson: r.naturalPerson };
            return [
              r.siret,
              r.siren,
              companyDisplayName(unit),
              csvCell(r.legalForm),
              csvCell(r.legalFormLabel ?? legalCategoryLabel(r.legalForm)),
              csvCell(establishmentDisplayName({ name: r.establishmentName, diffusion: r.diffusion }, r.companyDiffusion)),
              csvCell(r.nafCode),
              csvCell(nafLabel(r.nafCode)),
              r.nafSection ? `${r.nafSection} – ${sectionLabel(r.nafSection)}` : "",
              csvCell(r.workforceBand),
              csvCell(workforceLabel(r.workforceBand)),
              r.headOffice,
              csvCell(establishmentDisplayAddress({ address: r.address, diffusion: r.diffusion }, r.companyDiffusion)),
              csvCell(r.postcode),
              csvCell(r.communeCode),
              csvCell(r.communeName),
              r.active,
              r.diffusion === "P" || r.companyDiffusion === "P" ? "restreinte" : "publique",
            ];
          }),
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/entreprises/imports",
      summary: "Imports du stock Sirene : rapports et commande",
      kind: "page",
      permission: "companies.company.read",
      params: slugParams,
      handler: async (ctx) => <ImportsPage {...pageProps(ctx)} runs={await listImportRuns(ctx.database.db, ctx.territory.id)} />,
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/entreprises/nouvelle",
      summary: "Formulaire d'ajout d'une entreprise",
      kind: "page",
      permission: "companies.company.edit",
      params: slugParams,
      handler: (ctx) => <CompanyFormPage {...pageProps(ctx)} />,
    }),
    defineRoute({
      method: "POST",
      url: "/t/:slug/gestion/entreprises/nouvelle",
      summary: "Ajouter une entreprise (saisie manuelle)",
      kind: "form",
      permission: "companies.company.edit",
      params: slugParams,
      body: companyCreateForm,
      audit: "company",
      handler: async (ctx) => {
        const form = parseForm(companyCreateForm, ctx.req.body);
        if (!form.ok) return ctx.render(<CompanyFormPage {...pageProps(ctx)} errors={form.errors} values={form.values} />, 422);
        const r = await attempt(ctx, (tx) => createCompany(tx, ctx.audit, ctx.territory.id, form.data));
        if ("errors" in r) return ctx.render(<CompanyFormPage {...pageProps(ctx)} errors={r.errors} values={formValues(ctx.req.body)} />, 422);
        if ("notFound" in r) return ctx.reply.callNotFound();
        return ctx.redirect(companyUrl(ctx, r.value.id), "L'entreprise est ajoutée.");
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/entreprises/:id",
      summary: "Fiche d'une entreprise : établissements, contacts, comptes rattachés, participation",
      kind: "page",
      permission: "companies.company.read",
      params: companyParams,
      handler: (ctx) => renderCompany(ctx, ctx.params.id),
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/entreprises/:id/modifier",
      summary: "Formulaire de modification d'une entreprise",
      kind: "page",
      permission: "companies.company.edit",
      params: companyParams,
      handler: async (ctx) => {
        const data = await loadCompany(ctx.database.db, ctx.territory.id, ctx.params.id);
        if (!data) return ctx.reply.callNotFound();
        const c = data.company;
        const values: FormValues = { name: c.name, legalForm: c.legalForm ?? "", nafCode: c.nafCode ?? "", coBuilder: c.coBuilder ? "on" : undefined, notes: c.notes ?? "" };
        return <CompanyFormPage {...pageProps(ctx)} company={{ ...c, name: companyDisplayName(c) }} values={c.diffusion === "P" && c.naturalPerson ? { ...values, name: "" } : values} />;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/t/:slug/gestion/entreprises/:id/modifier",
      summary: "Modifier une entreprise",
      kind: "form",
      permission: "companies.company.edit",
      params: companyParams,
      body: companyEditForm,
      audit: "company",
      handler: async (ctx) => {
        const data = await loadCompany(ctx.database.db, ctx.territory.id, ctx.params.id);
        if (!data) return ctx.reply.callNotFound();
        const company = { ...data.company, name: companyDisplayName(data.company) };
        const form = parseForm(companyEditForm, ctx.req.body);
        if (!form.ok) return ctx.render(<CompanyFormPage {...pageProps(ctx)} company={company} errors={form.errors} values={form.values} />, 422);
        const r = await attempt(ctx, (tx) => updateCompany(tx, ctx.audit, ctx.territory.id, ctx.params.id, form.data));
        if ("notFound" in r) return ctx.reply.callNotFound();
        if ("errors" in r) return ctx.render(<CompanyFormPage {...pageProps(ctx)} company={company} errors={r.errors} values={formValues(ctx.req.body)} />, 422);
        return ctx.redirect(companyUrl(ctx, ctx.params.id), r.value.changed ? "L'entreprise est enregistrée." : "Rien n'a changé.");
      },
    }),
    defineRoute({
      method: "POST",
      url: "/t/:slug/gestion/entreprises/:id/etablissements",
      summary: "Ajouter un établissement à une entreprise",
      kind: "form",
      permission: "companies.company.edit",
      params: companyParams,
      body: establishmentForm,
      audit: "establishment",
      handler: async (ctx) => {
        const form = parseForm(establishmentForm, ctx.req.body);
        if (!form.ok) return renderCompany(ctx, ctx.params.id, { form: "establishment", errors: form.errors, values: form.values }, 422);
        const r = await attempt(ctx, (tx) => addEstablishment(tx, ctx.audit, ctx.territory.id, ctx.params.id, form.data));
        if ("notFound" in r) return ctx.reply.callNotFound();
        if ("errors" in r) return renderCompany(ctx, ctx.params.id, { form: "establishment", errors: r.errors, values: formValues(ctx.req.body) }, 422);
        return ctx.redirect(companyUrl(ctx, ctx.params.id, "#etablissements"), "L'établissement est ajouté.");
      },
    }),
    ...(["fermer", "rouvrir"] as const).map((verb) =>
      defineRoute({
        method: "POST",
        url: `/t/:slug/gestion/entreprises/:id/etablissements/:establishmentId/${verb}`,
        summary: verb === "fermer" ? "Marquer un établissement fermé" : "Marquer un établissement actif",
        kind: "form",
        permission: "companies.company.edit",
        params: establishmentParams,
        audit: "establishment",
        handler: async (ctx) => {
          const r = await attempt(ctx, (tx) => setEstablishmentActive(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.params.establishmentId, verb === "rouvrir"));
          if (!("value" in r)) return ctx.reply.callNotFound();
          return ctx.redirect(companyUrl(ctx, ctx.params.id, "#etablissements"), verb === "fermer" ? "L'établissement est marqué fermé." : "L'établissement est marqué actif.");
        },
      }),
    ),
    defineRoute({
      method: "POST",
      url: "/t/:slug/gestion/entreprises/:id/contacts",
      summary: "Ajouter un contact à une entreprise",
      kind: "form",
      permission: "companies.company.edit",
      params: companyParams,
      body: contactForm,
      audit: "company_contact",
      handler: async (ctx) => {
        const form = parseForm(contactForm, ctx.req.body);
        if (!form.ok) return renderCompany(ctx, ctx.params.id, { form: "contact", errors: form.errors, values: form.values }, 422);
        const r = await attempt(ctx, (tx) => addContact(tx, ctx.audit, ctx.territory.id, ctx.params.id, form.data));
        if (!("value" in r)) return ctx.reply.callNotFound();
        return ctx.redirect(companyUrl(ctx, ctx.params.id, `#contact-${r.value.id}`), "Le contact est ajouté.");
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/entreprises/:id/contacts/:contactId/modifier",
      summary: "Formulaire de modification d'un contact",
      kind: "page",
      permission: "companies.company.edit",
      params: contactParams,
      handler: async (ctx) => {
        const data = await loadCompany(ctx.database.db, ctx.territory.id, ctx.params.id);
        const c = data?.contacts.find((x) => x.id === ctx.params.contactId);
        if (!data || !c) return ctx.reply.callNotFound();
        const values: FormValues = {
          name: c.name,
          role: c.role ?? "",
          email: c.email ?? "",
          phone: c.phone ?? "",
          consent: c.consentAt ? "on" : undefined,
          consentDate: c.consentAt ? c.consentAt.toISOString().slice(0, 10) : "",
          consentSource: c.consentSource ?? "",
        };
        return <ContactEditPage {...pageProps(ctx)} company={data.company} contactId={c.id} values={values} />;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/t/:slug/gestion/entreprises/:id/contacts/:contactId/modifier",
      summary: "Modifier un contact",
      kind: "form",
      permission: "companies.company.edit",
      params: contactParams,
      body: contactForm,
      audit: "company_contact",
      handler: async (ctx) => {
        const data = await loadCompany(ctx.database.db, ctx.territory.id, ctx.params.id);
        if (!data || !data.contacts.some((x) => x.id === ctx.params.contactId)) return ctx.reply.callNotFound();
        const form = parseForm(contactForm, ctx.req.body);
        if (!form.ok) return ctx.render(<ContactEditPage {...pageProps(ctx)} company={data.company} contactId={ctx.params.contactId} errors={form.errors} values={form.values} />, 422);
        const r = await attempt(ctx, (tx) => updateContact(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.params.contactId, form.data));
        if (!("value" in r)) return ctx.reply.callNotFound();
        return ctx.redirect(companyUrl(ctx, ctx.params.id, `#contact-${ctx.params.contactId}`), r.value.changed ? "Le contact est enregistré." : "Rien n'a changé.");
      },
    }),
    defineRoute({
      method: "POST",
      url: "/t/:slug/gestion/entreprises/:id/contacts/:contactId/supprimer",
      summary: "Supprimer un contact",
      kind: "form",
      permission: "companies.company.edit",
      params: contactParams,
      audit: "company_contact",
      handler: async (ctx) => {
        const r = await attempt(ctx, (tx) => deleteContact(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.params.contactId));
        if (!("value" in r)) return ctx.reply.callNotFound();
        return ctx.redirect(companyUrl(ctx, ctx.params.id, "#contacts"), "Le contact est supprimé.");
      },
    }),
    ...(["confirmer", "retirer"] as const).map((verb) =>
      defineRoute({
        method: "POST",
        url: `/t/:slug/gestion/entreprises/:id/comptes/:linkId/${verb}`,
        summary: verb === "confirmer" ? "Confirmer le rattachement d'un compte à l'entreprise" : "Retirer ou refuser le rattachement d'un compte",
        kind: "form",
        permission: "companies.company.edit",
        params: linkParams,
        audit: "company_user",
        handler: async (ctx) => {
          const r = await attempt(ctx, async (tx) => {
            const input = { territoryId: ctx.territory.id, linkId: ctx.params.linkId };
            // The link must belong to the company of the URL.
            const [link] = await tx
              .select({ id: companyUsers.id })
              .from(companyUsers)
              .where(and(eq(companyUsers.id, ctx.params.linkId), eq(companyUsers.companyId, ctx.params.id), eq(companyUsers.territoryId, ctx.territory.id)));
            if (!link) throw new NotFoundError();
            if (verb === "confirmer") return confirmCompanyLink(tx, ctx.audit, input);
            return removeCompanyLink(tx, ctx.audit, input);
          });
          if (!("value" in r) || !r.value) return ctx.reply.callNotFound();
          return ctx.redirect(companyUrl(ctx, ctx.params.id, "#comptes"), verb === "confirmer" ? "Le rattachement est confirmé." : "Le rattachement est retiré.");
        },
      }),
    ),
  ],
});
