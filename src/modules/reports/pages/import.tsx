import type { Actor } from "../../../core/authz/index.ts";
import { formatNumber } from "../../../core/i18n/format.ts";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { EmptyState } from "../../../core/ui/components.tsx";
import { templateColumns, type ImportPlan } from "../import/plan-import.ts";

type Territory = { id: number; slug: string; name: string; kind: string };

const MAX_SHOWN = 300;

function Frame(p: { actor: Actor; territory: Territory; title: string; csrfToken: string; hasErrors?: boolean; flash?: string; children: preact.ComponentChildren }) {
  return (
    <BackOfficeLayout
      actor={p.actor}
      territory={p.territory}
      title={p.title}
      section="/import"
      csrfToken={p.csrfToken}
      hasErrors={p.hasErrors}
      flash={p.flash}
      crumbs={[
        { label: p.territory.name, href: `/t/${p.territory.slug}/gestion` },
        { label: "Importer un plan", href: "" },
      ]}
    >
      {p.children}
    </BackOfficeLayout>
  );
}

/** The upload page: what the file holds, the templates, the form; in its error state, every error with its row and column. */
export function ImportPage(p: { actor: Actor; territory: Territory; csrfToken: string; maxMb: number; errors?: string[]; fileName?: string; flash?: string }) {
  const base = `/t/${p.territory.slug}/gestion/import`;
  const errors = p.errors ?? [];
  return (
    <Frame actor={p.actor} territory={p.territory} title="Importer un plan d’actions depuis un tableur" csrfToken={p.csrfToken} hasErrors={errors.length > 0} flash={p.flash}>
      <h1>Importer un plan d’actions depuis un tableur</h1>
      {errors.length ? (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-module="error-summary">
          <h2 id="error-summary-title">
            Le fichier {p.fileName ? `« ${p.fileName} » ` : ""}contient {errors.length === 1 ? "une erreur" : `${formatNumber(errors.length)} erreurs`} : rien n’a été
            enregistré
          </h2>
          <p>Corrigez le fichier puis envoyez-le de nouveau.</p>
          <ul class="import-errors">
            {errors.slice(0, MAX_SHOWN).map((e) => (
              <li>
                <a href="#champ-fichier">{e}</a>
              </li>
            ))}
          </ul>
          {errors.length > MAX_SHOWN ? <p>… et {formatNumber(errors.length - MAX_SHOWN)} autres erreurs.</p> : null}
        </div>
      ) : null}
      <p class="lead">
        Créez ou mettez à jour les thématiques, les objectifs et les actions du plan à partir d’un fichier Excel (XLSX) ou CSV. Le fichier est d’abord vérifié : vous
        voyez ce qui sera créé et modifié avant de confirmer, et rien n’est enregistré tant qu’il contient une erreur.
      </p>
      <h2>1. Partir du modèle</h2>
      <ul class="downloads">
        <li>
          <a href={`${base}/modele.xlsx`} download>
            Télécharger le modèle (XLSX, avec le mode d’emploi)
          </a>
        </li>
        <li>
          <a href={`${base}/modele.csv`} download>
            Télécharger le modèle (CSV, séparateur point-virgule)
          </a>
        </li>
      </ul>
      <details>
        <summary>Les colonnes du fichier</summary>
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Colonnes attendues dans le fichier</caption>
            <thead>
              <tr>
                <th scope="col">Colonne</th>
                <th scope="col">Obligatoire</th>
                <th scope="col">Contenu</th>
              </tr>
            </thead>
            <tbody>
              {templateColumns().map((c) => (
                <tr>
                  <th scope="row">{c.name}</th>
                  <td>{"required" in c && c.required ? "oui" : "non"}</td>
                  <td>{c.help}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          La première ligne porte les noms des colonnes (majuscules et accents indifférents). Une action dont le N° existe déjà est mise à jour : une colonne absente ou
          une cellule vide ne change pas sa valeur.
        </p>
      </details>
      <h2>2. Envoyer le fichier</h2>
      <form method="post" action={base} enctype="multipart/form-data" class="narrow" noValidate>
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        <div class={`field${errors.length ? " field-error" : ""}`}>
          <label for="champ-fichier">Fichier du plan (XLSX ou CSV)</label>
          <p class="hint" id="champ-fichier-aide">
            {formatNumber(p.maxMb)} Mo au plus.
          </p>
          {errors.length ? (
            <p class="error-message" id="champ-fichier-erreur">
              <span class="visually-hidden">Erreur : </span>Le fichier contient des erreurs (voir la liste en haut de la page).
            </p>
          ) : null}
          <input
            type="file"
            id="champ-fichier"
            name="fichier"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            aria-describedby={errors.length ? "champ-fichier-aide champ-fichier-erreur" : "champ-fichier-aide"}
            required
          />
        </div>
        <p class="form-actions">
          <button type="submit" class="button">
            Vérifier le fichier
          </button>
        </p>
      </form>
      <p>
        En ligne de commande : <code>collines plan import --territory {p.territory.slug} --file plan.xlsx --dry-run</code>
      </p>
    </Frame>
  );
}

/** The preview of a valid file: what will be created and changed, and the confirmation. */
export function ImportPreviewPage(p: { actor: Actor; territory: Territory; csrfToken: string; fileName: string; fileId: number; plan: ImportPlan }) {
  const base = `/t/${p.territory.slug}/gestion/import`;
  const nothing = !p.plan.themesCreated.length && !p.plan.objectivesCreated.length && !p.plan.actionsCreated.length && !p.plan.actionsUpdated.length;
  return (
    <Frame actor={p.actor} territory={p.territory} title="Vérifier l’import du plan" csrfToken={p.csrfToken}>
      <h1>Vérifier l’import du plan</h1>
      <p class="lead">
        Le fichier « {p.fileName} » est valide : {formatNumber(p.plan.rows.length)} ligne{p.plan.rows.length > 1 ? "s" : ""} d’actions. Voici ce que l’import fera ; rien
        n’est encore enregistré.
      </p>
      <ul class="key-figures">
        <li>
          <strong>{formatNumber(p.plan.themesCreated.length)}</strong> {p.plan.themesCreated.length > 1 ? "thématiques créées" : "thématique créée"}
        </li>
        <li>
          <strong>{formatNumber(p.plan.objectivesCreated.length)}</strong> {p.plan.objectivesCreated.length > 1 ? "objectifs créés" : "objectif créé"}
        </li>
        <li>
          <strong>{formatNumber(p.plan.actionsCreated.length)}</strong> {p.plan.actionsCreated.length > 1 ? "actions créées" : "action créée"}
        </li>
        <li>
          <strong>{formatNumber(p.plan.actionsUpdated.length)}</strong> {p.plan.actionsUpdated.length > 1 ? "actions modifiées" : "action modifiée"}
        </li>
        <li>
          <strong>{formatNumber(p.plan.actionsUnchanged)}</strong> {p.plan.actionsUnchanged > 1 ? "actions inchangées" : "action inchangée"}
        </li>
      </ul>
      {p.plan.themesCreated.length ? (
        <>
          <h2>Thématiques créées</h2>
          <ul>
            {p.plan.themesCreated.map((t) => (
              <li>{t}</li>
            ))}
          </ul>
        </>
      ) : null}
      {p.plan.objectivesCreated.length ? (
        <>
          <h2>Objectifs créés</h2>
          <ul>
            {p.plan.objectivesCreated.map((o) => (
              <li>
                {o.objective} <span class="hint">({o.theme})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {p.plan.actionsCreated.length ? (
        <>
          <h2>Actions créées</h2>
          <ul>
            {p.plan.actionsCreated.map((a) => (
              <li>
                {a.number}. {a.title}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {p.plan.actionsUpdated.length ? (
        <>
          <h2>Actions modifiées</h2>
          <ul>
            {p.plan.actionsUpdated.map((a) => (
              <li>
                {a.number}. {a.title} <span class="hint">({a.fields.join(", ")})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {nothing ? <EmptyState>Le fichier ne change rien au plan.</EmptyState> : null}
      <form method="post" action={`${base}/${p.fileId}`} class="form-actions">
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        {nothing ? null : (
          <button type="submit" class="button">
            Confirmer l’import
          </button>
        )}
        <a href={base}>Envoyer un autre fichier</a>
      </form>
    </Frame>
  );
}
