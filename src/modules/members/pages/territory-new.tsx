import { z } from "zod";
import { defineRoute } from "../../../core/http/registry.ts";
import { formValues, parseForm, textField, type FieldErrors, type FormValues } from "../../../core/forms/index.ts";
import type { Actor } from "../../../core/authz/index.ts";
import { ErrorSummary, fieldId, Form, TextArea, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { emailSchema } from "../../accounts/api.ts";
import { parseSirens, SLUG_PATTERN } from "../model.ts";
import { epcisBySiren, searchEpcis } from "../queries/members.ts";
import { createTerritory } from "../commands/create-territory.ts";
import { isUniqueViolation } from "../commands/errors.ts";
import { attempt, sendInvitationMail, sentMessage, type Ctx } from "./shared.ts";

const sirenList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => parseSirens(v));

export const territoryForm = z.object({
  name: textField("le nom du territoire", { max: 150 }),
  slug: z
    .string({ error: "Indiquez l'adresse du territoire." })
    .trim()
    .min(1, { error: "Indiquez l'adresse du territoire." })
    .max(80, { error: "L'adresse ne doit pas dépasser 80 caractères." })
    .regex(SLUG_PATTERN, { error: "L'adresse ne contient que des lettres minuscules sans accent, des chiffres et des tirets, par exemple collines-de-normandie." }),
  epci: z.array(z.string().max(20)).max(100).optional(),
  sirens: sirenList,
  adminEmail: emailSchema,
});

/** Query of the form page: the search, and what was typed before searching (the form is sent by GET to search). */
const pageQuery = z.object({
  q: z.unknown().optional(),
  name: z.unknown().optional(),
  slug: z.unknown().optional(),
  adminEmail: z.unknown().optional(),
  sirens: z.unknown().optional(),
  epci: z.unknown().optional(),
});

const one = (v: unknown) => (typeof v === "string" ? v.slice(0, 500) : Array.isArray(v) && typeof v[0] === "string" ? v[0].slice(0, 500) : "");
const many = (v: unknown) => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []).slice(0, 100);

interface EpciChoice {
  siren: string;
  name: string;
  kind: string;
}

function NewTerritoryPage(p: { actor: Actor; csrfToken: string; values: FormValues; q: string; results: EpciChoice[] | null; chosen: EpciChoice[]; errors?: FieldErrors }) {
  const errors = p.errors ?? {};
  const chosen = new Set(p.chosen.map((c) => c.siren));
  const others = (p.results ?? []).filter((r) => !chosen.has(r.siren));
  return (
    <Layout
      title="Créer un territoire"
      actor={p.actor}
      csrfToken={p.csrfToken}
      hasErrors={Object.keys(errors).length > 0}
      currentPath="/gestion/territoires/nouveau"
      breadcrumbs={[{ label: "Gestion", href: "/gestion" }, { label: "Créer un territoire", href: "/gestion/territoires/nouveau" }]}
    >
      <h1>Créer un territoire</h1>
      <ErrorSummary errors={errors} labels={{ sirens: "Intercommunalités" }} />
      <p>
        Le territoire est créé avec ses intercommunalités (d'après les données nationales : nom, nature, département, région) et un plan d'actions vide. La personne
        indiquée reçoit une invitation à l'administrer.
      </p>
      <Form action="/gestion/territoires/nouveau" csrfToken={p.csrfToken}>
        <TextField name="name" label="Nom du territoire" hint="Par exemple : Collines de Normandie." values={p.values} errors={errors} required />
        <TextField
          name="slug"
          label="Adresse du territoire"
          hint="Ce qui suit /t/ dans l'adresse des pages : lettres minuscules sans accent, chiffres et tirets, par exemple collines-de-normandie."
          values={p.values}
          errors={errors}
          required
        />
        <fieldset id="intercommunalites">
          <legend>Intercommunalités membres</legend>
          <div class="field">
            <label for={fieldId("q")}>Rechercher une intercommunalité par nom ou SIREN</label>
            <input id={fieldId("q")} name="q" type="search" value={p.q} />
            <button type="submit" class="button button-secondary button-small" formmethod="get" formaction="/gestion/territoires/nouveau#intercommunalites" formnovalidate>
              Rechercher
            </button>
          </div>
          {p.chosen.length || others.length ? (
            <div class="field">
              <p class="hint">Cochez les intercommunalités du territoire.</p>
              {[...p.chosen, ...others].map((e) => (
                <div class="field field-checkbox">
                  <input id={`epci-${e.siren}`} type="checkbox" name="epci" value={e.siren} checked={chosen.has(e.siren)} />
                  <label for={`epci-${e.siren}`}>
                    {e.name} ({e.kind}, SIREN {e.siren})
                  </label>
                </div>
              ))}
            </div>
          ) : p.results ? (
            <p class="empty-state">Aucune intercommunalité ne correspond à « {p.q} ».</p>
          ) : null}
          <TextArea
            name="sirens"
            label="Ou saisissez leurs numéros SIREN"
            hint="Un numéro de 9 chiffres par ligne (ou séparés par des espaces), par exemple 200068799."
            rows={3}
            values={p.values}
            errors={errors}
          />
        </fieldset>
        <TextField
          name="adminEmail"
          label="Adresse électronique du premier administrateur du territoire"
          hint="Cette personne reçoit un lien d'invitation valable 7 jours."
          type="email"
          values={p.values}
          errors={errors}
          required
        />
        <p class="form-actions">
          <button type="submit" class="button">
            Créer le territoire
          </button>
          <a href="/gestion">Annuler</a>
        </p>
      </Form>
    </Layout>
  );
}

async function chosenEpcis(ctx: Ctx, sirens: string[]): Promise<EpciChoice[]> {
  const rows = await epcisBySiren(ctx.database.db, sirens);
  return sirens.map((s) => rows.find((r) => r.siren === s)).filter((r): r is NonNullable<typeof r> => Boolean(r));
}

/** A platform admin creates a territory in the browser. */
export const territoryRoutes = [
  defineRoute({
    method: "GET",
    url: "/gestion/territoires/nouveau",
    summary: "Formulaire de création d'un territoire (recherche d'intercommunalités)",
    kind: "form",
    permission: "members.territory.create",
    query: pageQuery,
    handler: async (ctx) => {
      const q = one(ctx.query.q).trim();
      const values: FormValues = { name: one(ctx.query.name), slug: one(ctx.query.slug), adminEmail: one(ctx.query.adminEmail), sirens: one(ctx.query.sirens) };
      const [results, chosen] = await Promise.all([q ? searchEpcis(ctx.database.db, q) : Promise.resolve(null), chosenEpcis(ctx, many(ctx.query.epci))]);
      return <NewTerritoryPage actor={ctx.actor} csrfToken={ctx.csrfToken()} values={values} q={q} results={results} chosen={chosen} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/gestion/territoires/nouveau",
    summary: "Création d'un territoire, de ses intercommunalités et de l'invitation de son administrateur",
    kind: "form",
    permission: "members.territory.create",
    body: territoryForm,
    audit: "territory",
    handler: async (ctx) => {
      const raw = formValues(ctx.req.body);
      const form = parseForm(territoryForm, ctx.req.body);
      const rerender = async (errors: FieldErrors) => {
        const chosen = await chosenEpcis(ctx, many(raw.epci));
        return ctx.render(<NewTerritoryPage actor={ctx.actor} csrfToken={ctx.csrfToken()} values={raw} q={one(raw.q)} results={null} chosen={chosen} errors={errors} />, 422);
      };
      if (!form.ok) return rerender(form.errors);
      const sirens = [...new Set([...(form.data.epci ?? []).map((s) => s.trim()), ...form.data.sirens])];
      let r;
      try {
        r = await attempt(ctx, (tx) => createTerritory(tx, ctx.audit, { name: form.data.name, slug: form.data.slug, sirens, adminEmail: form.data.adminEmail }));
      } catch (e) {
        // Two admins creating the same address at once: the unique index decides.
        if (isUniqueViolation(e)) return rerender({ slug: "Cette adresse vient d'être prise par un autre territoire : choisissez-en une autre." });
        throw e;
      }
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("errors" in r) return rerender(r.errors);
      const { territory, invitation } = r.value;
      const sent = await sendInvitationMail(ctx, invitation.token, invitation.payload, territory.name);
      return ctx.redirect(`/t/${territory.slug}/gestion/membres`, `Le territoire ${territory.name} est créé. ${sentMessage(form.data.adminEmail, sent)}`);
    },
  }),
];
