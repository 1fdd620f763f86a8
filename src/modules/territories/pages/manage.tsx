import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import type { ComponentChildren } from "preact";
import { loadHistory, RecordHistory, type AuditRow } from "../../audit/api.ts";
import { z } from "zod";
import type { Actor } from "../../../core/authz/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import { defineRoute, type RouteContext, type RouteDef } from "../../../core/http/registry.ts";
import { optionalText, parseForm, textField, type FieldErrors, type FormValues } from "../../../core/forms/index.ts";
import { ActionButton, EmptyState, ErrorSummary, Form, TextArea, TextField } from "../../../core/ui/components.tsx";
import type { NavItem } from "../../../core/ui/layout.tsx";
import { defineBackOfficeNav } from "../../../core/ui/backoffice.ts";
import { Paragraphs } from "../../../core/ui/text.tsx";
import { formatDateTime } from "../../../core/i18n/format.ts";
import { defaultLegalText, LEGAL_PAGE_KEYS, PAGE_TITLES, type LegalKey } from "../legal.ts";
import { loadAuthorities, loadContacts, loadPages } from "../queries/territory.ts";
import { EDITABLE_PAGE_KEYS, savePage, type EditablePageKey } from "../commands/save-page.ts";
import { ContactConflict, deleteContact, findContact, moveContact, normalisePhone, saveContact } from "../commands/contacts.ts";
import "../policy.ts";

const PERMISSION = "territories.page.update";
defineBackOfficeNav({ label: "Pages du territoire", path: "/pages", permission: PERMISSION, order: 80 });
defineBackOfficeNav({ label: "Coordonnées", path: "/coordonnees", permission: PERMISSION, order: 90 });

/** Public address of each editable page. */
const PUBLIC_PATH: Record<EditablePageKey, string> = {
  presentation: "presentation",
  "mentions-legales": "mentions-legales",
  accessibilite: "accessibilite",
  "donnees-personnelles": "donnees-personnelles",
};

const isLegal = (key: string): key is LegalKey => (LEGAL_PAGE_KEYS as readonly string[]).includes(key);

// ---------------------------------------------------------------------------------------------
// Form schemas

const PAGE_MAX = 50000;
export const pageForm = z.object({ body: optionalText("le texte de la page", { max: PAGE_MAX }) });

const PHONE_MESSAGE = "Indiquez un numéro de téléphone français à 10 chiffres, par exemple 02 31 66 27 96.";
const EMAIL_MESSAGE = "Indiquez une adresse électronique valide, par exemple dev.eco@exemple.fr.";
const emailCheck = z.email();

export const contactForm = z.object({
  service: textField("le nom du service", { max: 200 }),
  phone: z
    .string()
    .max(40, { error: PHONE_MESSAGE })
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").trim();
      if (!s) return null;
      const phone = normalisePhone(s);
      if (!phone) {
        ctx.addIssue({ code: "custom", message: PHONE_MESSAGE });
        return z.NEVER;
      }
      return phone;
    }),
  email: z
    .string()
    .max(254, { error: "L'adresse électronique ne doit pas dépasser 254 caractères." })
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").trim();
      if (!s) return null;
      if (!emailCheck.safeParse(s).success) {
        ctx.addIssue({ code: "custom", message: EMAIL_MESSAGE });
        return z.NEVER;
      }
      return s;
    }),
  address: optionalText("l'adresse", { max: 500 }),
});

// ---------------------------------------------------------------------------------------------
// Views

interface ShellProps {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
}

function Shell(p: ShellProps & { title: string; section: string; hasErrors?: boolean; crumbs: NavItem[]; children: ComponentChildren }) {
  return <BackOfficeLayout {...p} />;
}

type PageRow = Awaited<ReturnType<typeof loadPages>>[number];

function PagesList(p: ShellProps & { pages: PageRow[] }) {
  const base = `/t/${p.territory.slug}/gestion/pages`;
  return (
    <Shell {...p} title="Pages du territoire" section="/pages" crumbs={[{ label: "Pages du territoire", href: "" }]}>
      <h1>Pages du territoire</h1>
      <p>La présentation du territoire et les pages obligatoires d'un site public. Tant qu'une page légale n'a pas de texte propre, le site affiche un texte par défaut rédigé à partir de vos coordonnées.</p>
      <table class="table manage-table">
        <caption class="visually-hidden">Pages modifiables</caption>
        <thead>
          <tr>
            <th scope="col">Page</th>
            <th scope="col">Texte affiché</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {EDITABLE_PAGE_KEYS.map((key) => {
            const row = p.pages.find((r) => r.key === key);
            const custom = Boolean(row?.body);
            return (
              <tr>
                <th scope="row">{PAGE_TITLES[key]}</th>
                <td>
                  {custom ? `Texte du territoire, modifié le ${formatDateTime(row!.updatedAt)}` : isLegal(key) ? "Texte par défaut de la plateforme" : "Pas encore rédigée"}
                </td>
                <td>
                  <div class="row-actions">
                    <a href={`${base}/${key}`}>
                      Modifier<span class="visually-hidden"> la page « {PAGE_TITLES[key]} »</span>
                    </a>
                    <a href={`/t/${p.territory.slug}/${PUBLIC_PATH[key]}`}>
                      Voir<span class="visually-hidden"> la page « {PAGE_TITLES[key]} » sur le site public</span>
                    </a>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Shell>
  );
}

function PageForm(p: ShellProps & { pageKey: EditablePageKey; row?: PageRow; defaultText?: string; errors?: FieldErrors; values: FormValues; history?: AuditRow[] }) {
  const base = `/t/${p.territory.slug}/gestion/pages`;
  const title = `Modifier la page « ${PAGE_TITLES[p.pageKey]} »`;
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  return (
    <Shell {...p} title={title} section="/pages" hasErrors={hasErrors} crumbs={[{ label: "Pages du territoire", href: base }, { label: PAGE_TITLES[p.pageKey], href: "" }]}>
      <h1>{title}</h1>
      <p>
        {p.row?.body ? `Texte du territoire, modifié le ${formatDateTime(p.row.updatedAt)}.` : p.defaultText ? "Le site affiche aujourd'hui le texte par défaut." : "Cette page n'est pas encore rédigée."}{" "}
        <a href={`/t/${p.territory.slug}/${PUBLIC_PATH[p.pageKey]}`}>Voir la page publique</a>
      </p>
      {p.defaultText ? (
        <div class="notice notice-info">
          <p>
            Laissez le texte vide pour afficher le texte par défaut de la plateforme : il reprend le nom du territoire, ses intercommunalités et son premier contact, et
            suit leurs modifications. <a href={`${base}/${p.pageKey}?depart=defaut#champ-body`}>Partir du texte par défaut</a> pour le compléter.
          </p>
        </div>
      ) : null}
      <ErrorSummary errors={p.errors ?? {}} labels={{ body: "Texte" }} />
      <Form action={`${base}/${p.pageKey}`} csrfToken={p.csrfToken}>
        <TextArea
          name="body"
          label="Texte"
          hint={`Texte simple : laissez une ligne vide entre deux paragraphes. ${PAGE_MAX.toLocaleString("fr-FR")} caractères au plus.${p.defaultText ? " Vide : le texte par défaut est affiché." : ""}`}
          rows={18}
          errors={p.errors}
          values={p.values}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer la page
          </button>
          <a href={base}>Annuler</a>
        </div>
      </Form>
      {p.defaultText ? (
        <details>
          <summary>Lire le texte par défaut</summary>
          <Paragraphs text={p.defaultText} />
        </details>
      ) : null}
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </Shell>
  );
}

type ContactRow = Awaited<ReturnType<typeof loadContacts>>[number];

function ContactsList(p: ShellProps & { contacts: ContactRow[]; problem?: string }) {
  const base = `/t/${p.territory.slug}/gestion/coordonnees`;
  return (
    <Shell {...p} title="Coordonnées" section="/coordonnees" crumbs={[{ label: "Coordonnées", href: "" }]}>
      <h1>Coordonnées</h1>
      {p.problem ? (
        <div class="notice notice-warning" role="alert">
          <p>{p.problem}</p>
        </div>
      ) : null}
      <p>
        Les services à contacter, affichés sur la <a href={`/t/${p.territory.slug}/contact`}>page Contact</a>. Le premier est aussi cité dans les mentions légales, la
        déclaration d'accessibilité et la page sur les données personnelles.
      </p>
      <p>
        <a class="button" href={`${base}/nouveau`}>
          Ajouter un contact
        </a>
      </p>
      {p.contacts.length ? (
        <ul class="card-list">
          {p.contacts.map((c, i) => (
            <li class="card" id={`contact-${c.id}`}>
              <h2 class="h4">{c.service}</h2>
              {i === 0 ? <p class="badge badge-info">Contact principal</p> : null}
              <dl class="facts">
                <dt>Téléphone</dt>
                <dd>{c.phone ?? "Non renseigné"}</dd>
                <dt>Courriel</dt>
                <dd>{c.email ?? "Non renseigné"}</dd>
                <dt>Adresse</dt>
                <dd>{c.address ?? "Non renseignée"}</dd>
              </dl>
              <div class="row-actions">
                <a href={`${base}/${c.id}`}>
                  Modifier<span class="visually-hidden"> le contact « {c.service} »</span>
                </a>
                {i > 0 ? <ActionButton action={`${base}/${c.id}/monter`} csrfToken={p.csrfToken} label="Monter" accessibleLabel={`Monter le contact « ${c.service} »`} /> : null}
                {i < p.contacts.length - 1 ? (
                  <ActionButton action={`${base}/${c.id}/descendre`} csrfToken={p.csrfToken} label="Descendre" accessibleLabel={`Descendre le contact « ${c.service} »`} />
                ) : null}
                {p.contacts.length > 1 ? (
                  <a href={`${base}/${c.id}/supprimer`}>
                    Supprimer<span class="visually-hidden"> le contact « {c.service} »</span>
                  </a>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>Aucun contact n'est encore renseigné : les pages publiques indiquent que les coordonnées ne sont pas encore connues.</EmptyState>
      )}
    </Shell>
  );
}

const CONTACT_LABELS = { service: "Service", phone: "Téléphone", email: "Adresse électronique", address: "Adresse postale" };

function ContactForm(p: ShellProps & { contactId?: number; errors?: FieldErrors; values: FormValues; history?: AuditRow[] }) {
  const base = `/t/${p.territory.slug}/gestion/coordonnees`;
  const title = p.contactId ? "Modifier le contact" : "Ajouter un contact";
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  const action = p.contactId ? `${base}/${p.contactId}` : `${base}/nouveau`;
  return (
    <Shell {...p} title={title} section="/coordonnees" hasErrors={hasErrors} crumbs={[{ label: "Coordonnées", href: base }, { label: title, href: "" }]}>
      <h1>{title}</h1>
      <ErrorSummary errors={p.errors ?? {}} labels={CONTACT_LABELS} />
      <Form action={action} csrfToken={p.csrfToken} class="narrow">
        <TextField name="service" label={CONTACT_LABELS.service} hint="Par exemple : Service développement économique de l'Intercom." required maxLength={200} errors={p.errors} values={p.values} />
        <TextField name="phone" label={CONTACT_LABELS.phone} hint="Numéro français à 10 chiffres, par exemple 02 31 66 27 96." type="tel" autocomplete="off" errors={p.errors} values={p.values} />
        <TextField name="email" label={CONTACT_LABELS.email} hint="Une adresse de service plutôt que personnelle." type="email" autocomplete="off" errors={p.errors} values={p.values} />
        <TextArea name="address" label={CONTACT_LABELS.address} rows={3} errors={p.errors} values={p.values} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer le contact
          </button>
          <a href={base}>Annuler</a>
        </div>
      </Form>
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </Shell>
  );
}

function ContactDeletePage(p: ShellProps & { contact: ContactRow; isLast: boolean }) {
  const base = `/t/${p.territory.slug}/gestion/coordonnees`;
  return (
    <Shell {...p} title="Supprimer un contact" section="/coordonnees" crumbs={[{ label: "Coordonnées", href: base }, { label: "Supprimer un contact", href: "" }]}>
      <h1>Supprimer le contact « {p.contact.service} » ?</h1>
      {p.isLast ? (
        <>
          <p>C'est le seul contact du territoire : il figure dans les mentions légales et la déclaration d'accessibilité. Modifiez-le plutôt que de le supprimer.</p>
          <p>
            <a href={`${base}/${p.contact.id}`}>Modifier ce contact</a> · <a href={base}>Retour aux coordonnées</a>
          </p>
        </>
      ) : (
        <>
          <p>Il disparaîtra de la page Contact. Cette suppression est définitive (elle reste tracée dans le journal des modifications).</p>
          <div class="form-actions">
            <ActionButton action={`${base}/${p.contact.id}/supprimer`} csrfToken={p.csrfToken} label="Supprimer le contact" variant="danger" />
            <a href={base}>Annuler</a>
          </div>
        </>
      )}
    </Shell>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

type Ctx = RouteContext<any, any>;
const shell = (ctx: Ctx): ShellProps => ({ actor: ctx.actor, territory: ctx.territory, csrfToken: ctx.csrfToken(), flash: ctx.flash });
const slugParams = z.object({ slug: z.string() });
const pageParams = z.object({ slug: z.string(), key: z.enum(EDITABLE_PAGE_KEYS) });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });

/** The default text of a legal page for this territory, as the public page would show it. */
async function defaultTextFor(ctx: Ctx, key: EditablePageKey): Promise<string | undefined> {
  if (!isLegal(key)) return undefined;
  const [auths, contacts] = await Promise.all([loadAuthorities(ctx.database.db, ctx.territory.id), loadContacts(ctx.database.db, ctx.territory.id)]);
  return defaultLegalText(key, { territoryName: ctx.territory.name, authorities: auths.map((a) => a.name), contact: contacts[0] });
}

async function inTransaction<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.database.db.transaction((tx) => fn(tx));
}

const contactsBase = (ctx: Ctx) => `/t/${ctx.territory.slug}/gestion/coordonnees`;
const contactValues = (c: ContactRow): FormValues => ({ service: c.service, phone: c.phone ?? "", email: c.email ?? "", address: c.address ?? "" });

function moveContactRoute(direction: "up" | "down", verb: string) {
  return defineRoute({
    method: "POST",
    url: `/t/:slug/gestion/coordonnees/:id/${verb}`,
    summary: `${direction === "up" ? "Monter" : "Descendre"} un contact`,
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    audit: "territory_contact",
    handler: async (ctx) => {
      const r = await inTransaction(ctx, (tx) => moveContact(tx, ctx.audit, ctx.territory.id, ctx.params.id, direction));
      if (!r) return ctx.reply.callNotFound();
      return ctx.redirect(`${contactsBase(ctx)}#contact-${ctx.params.id}`, r.moved ? "Ordre des contacts enregistré." : `Ce contact est déjà ${direction === "up" ? "le premier" : "le dernier"}.`);
    },
  });
}

/** Back-office editing of a territory's pages and contacts. */
export const territoryPagesRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/pages",
    summary: "Pages modifiables d'un territoire",
    kind: "page",
    permission: PERMISSION,
    params: slugParams,
    handler: async (ctx) => <PagesList {...shell(ctx)} pages={await loadPages(ctx.database.db, ctx.territory.id)} />,
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/pages/:key",
    summary: "Formulaire de modification d'une page du territoire",
    kind: "form",
    permission: PERMISSION,
    params: pageParams,
    query: z.object({ depart: z.unknown().optional().transform((v) => (Array.isArray(v) ? v[0] : v) === "defaut") }),
    handler: async (ctx) => {
      const key = ctx.params.key as EditablePageKey;
      const row = (await loadPages(ctx.database.db, ctx.territory.id)).find((r) => r.key === key);
      const defaultText = await defaultTextFor(ctx, key);
      const body = ctx.query.depart && defaultText ? defaultText : (row?.body ?? "");
      const history = row ? await loadHistory(ctx.database.db, ctx.territory.id, "territory_page", [row.id]) : [];
      return <PageForm {...shell(ctx)} pageKey={key} row={row} defaultText={defaultText} values={{ body }} history={history} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/pages/:key",
    summary: "Modification d'une page du territoire",
    kind: "form",
    permission: PERMISSION,
    params: pageParams,
    body: pageForm,
    audit: "territory_page",
    handler: async (ctx) => {
      const key = ctx.params.key as EditablePageKey;
      const form = parseForm(pageForm, ctx.req.body);
      if (!form.ok) {
        const row = (await loadPages(ctx.database.db, ctx.territory.id)).find((r) => r.key === key);
        return ctx.render(<PageForm {...shell(ctx)} pageKey={key} row={row} defaultText={await defaultTextFor(ctx, key)} errors={form.errors} values={form.values} />, 422);
      }
      const body = form.data.body ?? "";
      const r = await inTransaction(ctx, (tx) => savePage(tx, ctx.audit, ctx.territory.id, key, body));
      const title = PAGE_TITLES[key];
      const message = !r.changed
        ? `Aucune modification : la page « ${title} » est inchangée.`
        : !body && isLegal(key)
          ? `Page « ${title} » enregistrée : le texte par défaut est affiché.`
          : `Page « ${title} » enregistrée.`;
      return ctx.redirect(`/t/${ctx.territory.slug}/gestion/pages`, message);
    },
  }),

  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/coordonnees",
    summary: "Coordonnées du territoire",
    kind: "page",
    permission: PERMISSION,
    params: slugParams,
    handler: async (ctx) => <ContactsList {...shell(ctx)} contacts={await loadContacts(ctx.database.db, ctx.territory.id)} />,
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/coordonnees/nouveau",
    summary: "Formulaire d'ajout d'un contact",
    kind: "form",
    permission: PERMISSION,
    params: slugParams,
    handler: (ctx) => <ContactForm {...shell(ctx)} values={{}} />,
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/coordonnees/nouveau",
    summary: "Ajout d'un contact",
    kind: "form",
    permission: PERMISSION,
    params: slugParams,
    body: contactForm,
    audit: "territory_contact",
    handler: async (ctx) => {
      const form = parseForm(contactForm, ctx.req.body);
      if (!form.ok) return ctx.render(<ContactForm {...shell(ctx)} errors={form.errors} values={form.values} />, 422);
      const r = await inTransaction(ctx, (tx) => saveContact(tx, ctx.audit, ctx.territory.id, null, form.data));
      return ctx.redirect(`${contactsBase(ctx)}#contact-${r!.id}`, `Contact « ${form.data.service} » ajouté.`);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/coordonnees/:id",
    summary: "Formulaire de modification d'un contact",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    handler: async (ctx) => {
      const c = await findContact(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!c) return ctx.reply.callNotFound();
      return <ContactForm {...shell(ctx)} contactId={c.id} values={contactValues(c)} history={await loadHistory(ctx.database.db, ctx.territory.id, "territory_contact", [c.id])} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/coordonnees/:id",
    summary: "Modification d'un contact",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    body: contactForm,
    audit: "territory_contact",
    handler: async (ctx) => {
      const c = await findContact(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!c) return ctx.reply.callNotFound();
      const form = parseForm(contactForm, ctx.req.body);
      if (!form.ok) return ctx.render(<ContactForm {...shell(ctx)} contactId={c.id} errors={form.errors} values={form.values} />, 422);
      const r = await inTransaction(ctx, (tx) => saveContact(tx, ctx.audit, ctx.territory.id, c.id, form.data));
      if (!r) return ctx.reply.callNotFound();
      return ctx.redirect(`${contactsBase(ctx)}#contact-${c.id}`, r.changed ? `Contact « ${form.data.service} » enregistré.` : "Aucune modification : le contact est inchangé.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/coordonnees/:id/supprimer",
    summary: "Confirmation de la suppression d'un contact",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    handler: async (ctx) => {
      const contacts = await loadContacts(ctx.database.db, ctx.territory.id);
      const c = contacts.find((x) => x.id === ctx.params.id);
      if (!c) return ctx.reply.callNotFound();
      return <ContactDeletePage {...shell(ctx)} contact={c} isLast={contacts.length <= 1} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/coordonnees/:id/supprimer",
    summary: "Suppression d'un contact",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    audit: "territory_contact",
    handler: async (ctx) => {
      try {
        const removed = await inTransaction(ctx, (tx) => deleteContact(tx, ctx.audit, ctx.territory.id, ctx.params.id));
        if (!removed) return ctx.reply.callNotFound();
        return ctx.redirect(contactsBase(ctx), "Contact supprimé.");
      } catch (e) {
        if (!(e instanceof ContactConflict)) throw e;
        return ctx.render(<ContactsList {...shell(ctx)} contacts={await loadContacts(ctx.database.db, ctx.territory.id)} problem={e.message} />, 409);
      }
    },
  }),
  moveContactRoute("up", "monter"),
  moveContactRoute("down", "descendre"),
];
