import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { plural } from "../model.ts";
import { excerptParts, type SearchHit } from "../queries/search.ts";

/** The search box of the plan (GET, works without JavaScript). */
export function PlanSearchBox({ slug, q, id = "recherche-q" }: { slug: string; q?: string; id?: string }) {
  return (
    <form method="get" action={`/t/${slug}/recherche`} class="search-form" role="search" aria-label="Recherche dans le plan">
      <div class="field">
        <label for={id}>Rechercher dans le plan d’actions</label>
        <input id={id} name="q" type="search" value={q ?? ""} maxLength={200} autocomplete="off" />
      </div>
      <button type="submit" class="button">
        Rechercher
      </button>
    </form>
  );
}

const KIND_LABELS: Record<SearchHit["kind"], string> = { action: "Action", note: "Note de suivi", document: "Document" };

export function SearchPage(p: { actor: Actor; territory: TerritoryRow; q: string; hits: SearchHit[]; followUp: boolean }) {
  const base = `/t/${p.territory.slug}`;
  const title = p.q ? `Recherche « ${p.q} »` : "Rechercher dans le plan d’actions";
  return (
    <Layout
      title={title}
      actor={p.actor}
      territory={p.territory}
      currentPath={`${base}/plan`}
      breadcrumbs={[
        { label: "Accueil", href: base },
        { label: "Plan d'actions", href: `${base}/plan` },
        { label: "Recherche", href: "" },
      ]}
    >
      <h1>Rechercher dans le plan d’actions</h1>
      <p>
        {p.followUp
          ? "La recherche porte sur les actions, les notes de suivi et les titres des documents que vous pouvez lire, confidentiels compris."
          : "La recherche porte sur les titres et les descriptions des actions publiées."}{" "}
        Les mots sont cherchés avec leurs variantes (« réunions » trouve « réunion »).
      </p>
      <PlanSearchBox slug={p.territory.slug} q={p.q} />
      {p.q ? (
        <section aria-labelledby="resultats">
          <h2 id="resultats" aria-live="polite">
            {p.hits.length ? plural(p.hits.length, "résultat", "résultats") : "Aucun résultat"}
          </h2>
          {p.hits.length ? (
            <ol class="search-results">
              {p.hits.map((h) => (
                <li>
                  <p class="search-kind">{KIND_LABELS[h.kind]}</p>
                  <p>
                    <a href={h.kind === "document" ? `${base}/actions/${h.actionId}/documents/${h.itemId}` : `${base}/actions/${h.actionId}${h.kind === "note" ? "#suivi" : ""}`}>
                      {h.kind === "action" ? `Action ${h.actionNumber} : ${h.actionTitle}` : `${h.title} — action ${h.actionNumber} : ${h.actionTitle}`}
                    </a>
                  </p>
                  <p>
                    {excerptParts(h.excerpt).map((part) => (part.mark ? <mark>{part.text}</mark> : part.text))}
                  </p>
                </li>
              ))}
            </ol>
          ) : (
            <EmptyState>Aucun élément du plan ne correspond à « {p.q} ». Essayez d’autres mots, ou moins de mots.</EmptyState>
          )}
        </section>
      ) : null}
    </Layout>
  );
}
