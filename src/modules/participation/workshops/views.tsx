// Public pages of the workshops: the list and a workshop's page with the registration panel.
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import { ActionButton, EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { Paragraphs } from "../../../core/ui/text.tsx";
import { formatDate } from "../../../core/i18n/format.ts";
import { registrationWindow, seatsLabel, WORKSHOP_STATUS_LABELS, type RegistrationWindow } from "./model.ts";
import { whenText } from "./mails.ts";
import type { WorkshopDetail, WorkshopListItem } from "./queries.ts";

/** "Annulé", "Tenu" badges; nothing for a published workshop. */
export function WorkshopStatusBadge({ status }: { status: WorkshopListItem["status"] }) {
  if (status === "published") return null;
  return <span class={`badge workshop-status workshop-status-${status}`}>{WORKSHOP_STATUS_LABELS[status]}</span>;
}

const WINDOW_TEXT: Record<RegistrationWindow, string> = {
  open: "Inscriptions ouvertes",
  not_yet: "Inscriptions pas encore ouvertes",
  closed: "Inscriptions closes",
  cancelled: "Atelier annulé",
  past: "Atelier passé",
  draft: "Brouillon",
};

function windowText(w: WorkshopListItem): string {
  const state = registrationWindow(w);
  if (state === "not_yet" && w.registrationOpensAt) return `Inscriptions à partir du ${formatDate(w.registrationOpensAt)}`;
  if (state === "open" && w.registrationClosesAt) return `Inscriptions ouvertes jusqu'au ${formatDate(w.registrationClosesAt)}`;
  return WINDOW_TEXT[state];
}

function WorkshopCard({ w, base }: { w: WorkshopListItem; base: string }) {
  const state = registrationWindow(w);
  return (
    <li class="card workshop-card">
      <h3>
        {w.themeTitle ? <span class="kicker">{w.themeTitle}</span> : null}
        <a href={`${base}/ateliers/${w.id}`}>{w.title}</a> <WorkshopStatusBadge status={w.status} />
      </h3>
      <p class="workshop-when">{whenText(w)}</p>
      <p>{[w.place, w.videoUrl ? "en visioconférence" : null].filter(Boolean).join(" ou ")}</p>
      {state === "open" || state === "not_yet" ? <p class="hint">{`${windowText(w)} – ${seatsLabel(w.capacity, w.confirmed)}`}</p> : <p class="hint">{windowText(w)}</p>}
    </li>
  );
}

/** The territory's workshops: upcoming first, then the past ones. */
export function WorkshopsPage(p: { actor: Actor; territory: TerritoryRow; workshops: WorkshopListItem[]; canDeclare: boolean }) {
  const base = `/t/${p.territory.slug}`;
  const now = Date.now();
  const upcoming = p.workshops.filter((w) => w.startsAt.getTime() > now && w.status !== "held");
  const past = p.workshops.filter((w) => !(w.startsAt.getTime() > now && w.status !== "held")).reverse();
  return (
    <Layout title="Ateliers thématiques" actor={p.actor} territory={p.territory} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Ateliers", href: `${base}/ateliers` }]}>
      <h1>Ateliers thématiques</h1>
      <p class="lead">
        Les industriels du territoire construisent le plan d'actions avec les élus et les services dans des ateliers par thématique. Chacun y participe dans la limite de ses
        disponibilités.
      </p>
      <p>
        {!p.actor.user || p.canDeclare ? (
          <>
            <a href={`${base}/participer`}>Je souhaite participer</a> : indiquez les thématiques qui vous intéressent et vos disponibilités, l'équipe vous invitera aux
            ateliers qui vous correspondent.
          </>
        ) : (
          <>Les participants du territoire indiquent les thématiques qui les intéressent : l'équipe les invite aux ateliers qui leur correspondent.</>
        )}
        {p.actor.user ? (
          <>
            {" "}
            Vos inscriptions sont dans <a href={`${base}/mon-espace`}>Mon espace</a>.
          </>
        ) : null}
      </p>
      <section aria-labelledby="a-venir">
        <h2 id="a-venir">Ateliers à venir</h2>
        {upcoming.length ? (
          <ul class="card-list">
            {upcoming.map((w) => (
              <WorkshopCard w={w} base={base} />
            ))}
          </ul>
        ) : (
          <EmptyState>Aucun atelier n'est programmé pour le moment.</EmptyState>
        )}
      </section>
      {past.length ? (
        <section aria-labelledby="passes">
          <h2 id="passes">Ateliers passés</h2>
          <ul class="card-list">
            {past.map((w) => (
              <WorkshopCard w={w} base={base} />
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

export interface MyRegistration {
  status: "confirmed" | "waitlisted" | "cancelled";
  position?: number;
}

function RegistrationPanel(p: { actor: Actor; territory: TerritoryRow; w: WorkshopDetail; member: boolean; mine?: MyRegistration; csrfToken: string }) {
  const base = `/t/${p.territory.slug}`;
  const path = `${base}/ateliers/${p.w.id}`;
  const state = registrationWindow(p.w);
  const full = p.w.confirmed >= p.w.capacity;
  if (state === "cancelled") return <p>Cet atelier est annulé : les inscriptions sont closes.</p>;
  if (!p.actor.user) {
    if (state !== "open") return <p>{windowText(p.w)}.</p>;
    return (
      <div class="notice notice-info">
        <p>
          Pour vous inscrire, <a href={`/connexion/lien?retour=${encodeURIComponent(path)}`}>connectez-vous avec un lien reçu par courriel</a> (sans mot de passe).
        </p>
        <p>
          Pas encore de compte ? <a href={`${base}/inscription`}>Demandez à participer au territoire</a>.
        </p>
      </div>
    );
  }
  if (!p.member) {
    return (
      <div class="notice notice-info">
        <p>
          Les inscriptions aux ateliers sont réservées aux participants du territoire. Si vous avez demandé à participer, l'équipe du territoire doit d'abord confirmer votre
          demande ; suivez-la dans <a href={`${base}/mon-espace`}>Mon espace</a>.
        </p>
      </div>
    );
  }
  const mine = p.mine && p.mine.status !== "cancelled" ? p.mine : undefined;
  if (mine?.status === "confirmed") {
    return (
      <div class="notice notice-success workshop-mine">
        <p>
          <strong>Vous êtes inscrit à cet atelier.</strong> Vous avez reçu l'invitation pour votre agenda par courriel.
        </p>
        {state === "open" || state === "closed" || state === "not_yet" ? (
          <ActionButton action={`${path}/desinscription`} csrfToken={p.csrfToken} label="Annuler mon inscription" variant="danger" />
        ) : null}
      </div>
    );
  }
  if (mine?.status === "waitlisted") {
    return (
      <div class="notice notice-warning workshop-mine">
        <p>
          <strong>Vous êtes sur la liste d'attente{mine.position ? ` (position ${mine.position})` : ""}.</strong> Si une place se libère, elle vous est donnée
          automatiquement dans l'ordre de la liste, et vous recevez un courriel.
        </p>
        <ActionButton action={`${path}/desinscription`} csrfToken={p.csrfToken} label="Quitter la liste d'attente" variant="danger" />
      </div>
    );
  }
  if (state !== "open") return <p>{windowText(p.w)}.</p>;
  return (
    <div class="workshop-register">
      <p>{full ? "L'atelier est complet : vous pouvez vous inscrire sur la liste d'attente." : seatsLabel(p.w.capacity, p.w.confirmed)}.</p>
      <ActionButton action={`${path}/inscription`} csrfToken={p.csrfToken} label={full ? "M'inscrire sur la liste d'attente" : "M'inscrire"} variant="primary" />
    </div>
  );
}

export interface DocumentItem {
  id: number;
  title: string;
  size: number;
  mime: string;
  name: string;
}

/** "PDF, 120 ko" for a document link. */
export function fileFacts(d: { size: number; mime: string; name: string }): string {
  const ext = (/\.([a-z0-9]{2,5})$/i.exec(d.name)?.[1] ?? d.mime.split("/")[1] ?? "").toUpperCase();
  const size = d.size < 1024 * 1024 ? `${Math.max(1, Math.round(d.size / 1024))} ko` : `${(d.size / 1024 / 1024).toFixed(1).replace(".", ",")} Mo`;
  return `${ext}, ${size}`;
}

/** A workshop's public page: when, where, what for, and the registration panel. */
export function WorkshopPage(p: { actor: Actor; territory: TerritoryRow; w: WorkshopDetail; member: boolean; mine?: MyRegistration; csrfToken: string; conflict?: string; documents: DocumentItem[] }) {
  const base = `/t/${p.territory.slug}`;
  const w = p.w;
  const publicActions = w.actions.filter((a) => a.visibility === "published");
  return (
    <Layout
      title={w.title}
      actor={p.actor}
      territory={p.territory}
      breadcrumbs={[
        { label: "Accueil", href: base },
        { label: "Ateliers", href: `${base}/ateliers` },
        { label: w.title, href: `${base}/ateliers/${w.id}` },
      ]}
    >
      <h1>
        {w.themeTitle ? <span class="kicker">Atelier – {w.themeTitle}</span> : <span class="kicker">Atelier</span>}
        {w.title}
      </h1>
      {w.status === "cancelled" ? (
        <div class="notice notice-warning">
          <p>Cet atelier est annulé.</p>
        </div>
      ) : null}
      {p.conflict ? (
        <div class="notice notice-warning" role="alert">
          <p>{p.conflict}</p>
        </div>
      ) : null}
      <dl class="facts">
        <dt>Quand</dt>
        <dd>{whenText(w)} (heure de Paris)</dd>
        {w.place ? (
          <>
            <dt>Où</dt>
            <dd>{w.place}</dd>
          </>
        ) : null}
        {w.videoUrl ? (
          <>
            <dt>Visioconférence</dt>
            <dd>{p.mine?.status === "confirmed" ? <a href={w.videoUrl}>{w.videoUrl}</a> : "Le lien est donné aux personnes inscrites."}</dd>
          </>
        ) : null}
        <dt>Places</dt>
        <dd>
          {w.capacity} au total – {seatsLabel(w.capacity, w.confirmed)}
          {w.waitlisted ? `, ${w.waitlisted} sur liste d'attente` : ""}
        </dd>
        <dt>Inscriptions</dt>
        <dd>{windowText(w)}</dd>
      </dl>
      <Paragraphs text={w.description} />
      <section aria-labelledby="inscription">
        <h2 id="inscription">Inscription</h2>
        <RegistrationPanel {...p} />
      </section>
      {w.status !== "cancelled" ? (
        <p>
          <a href={`${base}/ateliers/${w.id}/agenda.ics`}>Ajouter à mon agenda (fichier .ics)</a>
        </p>
      ) : null}
      {publicActions.length ? (
        <section aria-labelledby="actions">
          <h2 id="actions">Actions du plan concernées</h2>
          <ul>
            {publicActions.map((a) => (
              <li>
                <a href={`${base}/actions/${a.id}`}>
                  Action {a.number} : {a.title}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {w.minutes ? (
        <section aria-labelledby="compte-rendu">
          <h2 id="compte-rendu">Compte rendu</h2>
          <Paragraphs text={w.minutes} />
        </section>
      ) : null}
      {p.documents.length ? (
        <section aria-labelledby="documents">
          <h2 id="documents">Documents</h2>
          <ul>
            {p.documents.map((d) => (
              <li>
                <a href={`${base}/ateliers/${w.id}/documents/${d.id}`}>{d.title}</a> <span class="hint">({fileFacts(d)})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}
