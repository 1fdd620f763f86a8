import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { formatDateTime, formatNumber } from "../../../core/i18n/format.ts";
import { ACTION_LABELS, actionLabel, changes, ENTITY_LABELS, entityLabel } from "../model.ts";
import type { AuditFilters, AuditRow } from "../queries/list.ts";

const ROLE_LABELS: Record<string, string> = {
  platform_admin: "administrateur de la plateforme",
  territory_admin: "administrateur du territoire",
  agent: "agent",
  committee_member: "membre de comité",
  industrialist: "industriel",
  funder: "financeur",
  system: "système",
  cli: "ligne de commande",
  user: "utilisateur",
};

function Who({ row }: { row: AuditRow }) {
  const role = row.actorRole ? (ROLE_LABELS[row.actorRole] ?? row.actorRole) : "";
  return (
    <>
      {row.actorName ?? "Système"}
      {role ? <span class="hint"> ({role})</span> : null}
    </>
  );
}

function Changes({ row }: { row: AuditRow }) {
  const list = changes(row.before, row.after);
  if (!list.length) return <span class="hint">—</span>;
  return (
    <ul class="changes">
      {list.map(([field, before, after]) => (
        <li>
          <strong>{field}</strong> : {before ? <del>{before}</del> : null}
          {before && after ? " → " : null}
          {after ? <ins>{after}</ins> : null}
        </li>
      ))}
    </ul>
  );
}

/** The "Historique" of one record, for the people who may see it. */
export function RecordHistory({ rows, title = "Historique" }: { rows: AuditRow[]; title?: string }) {
  return (
    <section aria-labelledby="historique">
      <h2 id="historique">{title}</h2>
      {rows.length ? (
        <ol class="history">
          {rows.map((r) => (
            <li>
              <p>
                <strong>{actionLabel(r.action)}</strong> le {formatDateTime(r.at)} par <Who row={r} />
              </p>
              <Changes row={r} />
            </li>
          ))}
        </ol>
      ) : (
        <EmptyState>Aucune modification enregistrée.</EmptyState>
      )}
    </section>
  );
}

export function AuditLogPage(p: { actor: Actor; territory: TerritoryRow; rows: AuditRow[]; total: number; page: number; pageSize: number; filters: AuditFilters; query: string }) {
  const base = `/t/${p.territory.slug}`;
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const f = p.filters;
  return (
    <BackOfficeLayout title="Journal des modifications" actor={p.actor} territory={p.territory} section="/journal" crumbs={[{ label: "Journal", href: "" }]}>
      <h1>Journal des modifications</h1>
      <p>Chaque création, modification, archivage ou changement d'état est enregistré ici, avec son auteur. Le journal ne peut pas être modifié.</p>
      <form method="get" action={`${base}/gestion/journal`} class="filters" aria-labelledby="journal-filtres">
        <h2 id="journal-filtres" class="h4">
          Rechercher
        </h2>
        <div class="filters-fields">
          <div class="field">
            <label for="f-entity">Objet</label>
            <select id="f-entity" name="entity">
              <option value="">Tous</option>
              {Object.entries(ENTITY_LABELS).map(([k, v]) => (
                <option value={k} selected={f.entity === k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-action">Opération</label>
            <select id="f-action" name="action">
              <option value="">Toutes</option>
              {Object.entries(ACTION_LABELS).map(([k, v]) => (
                <option value={k} selected={f.action === k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-actor">Auteur (nom ou courriel)</label>
            <input id="f-actor" name="actor" type="search" value={f.actor ?? ""} />
          </div>
          <div class="field">
            <label for="f-from">Du</label>
            <input id="f-from" name="from" type="date" value={f.from ?? ""} />
          </div>
          <div class="field">
            <label for="f-to">Au</label>
            <input id="f-to" name="to" type="date" value={f.to ?? ""} />
          </div>
          <div class="filters-actions">
            <button type="submit" class="button">
              Rechercher
            </button>
          </div>
        </div>
      </form>
      <p role="status">
        {formatNumber(p.total)} {p.total > 1 ? "entrées" : "entrée"}. <a href={`${base}/gestion/journal.csv${p.query ? `?${p.query}` : ""}`}>Exporter en CSV</a>
      </p>
      {p.rows.length ? (
        <table class="table">
          <caption class="visually-hidden">Entrées du journal, de la plus récente à la plus ancienne</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Auteur</th>
              <th scope="col">Opération</th>
              <th scope="col">Objet</th>
              <th scope="col">Changements</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <td>{formatDateTime(r.at)}</td>
                <td>
                  <Who row={r} />
                </td>
                <td>{actionLabel(r.action)}</td>
                <td>
                  {entityLabel(r.entity)}
                  {r.entityId ? ` n° ${r.entityId}` : ""}
                </td>
                <td>
                  <Changes row={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>Aucune entrée ne correspond à cette recherche.</EmptyState>
      )}
      {pages > 1 ? (
        <nav aria-label="Pagination du journal" class="pagination">
          {p.page > 1 ? <a href={`?${withPage(p.query, p.page - 1)}`}>Page précédente</a> : null}
          <span>
            Page {p.page} sur {pages}
          </span>
          {p.page < pages ? <a href={`?${withPage(p.query, p.page + 1)}`}>Page suivante</a> : null}
        </nav>
      ) : null}
    </BackOfficeLayout>
  );
}

function withPage(query: string, page: number): string {
  const q = new URLSearchParams(query);
  q.set("page", String(page));
  return q.toString();
}
