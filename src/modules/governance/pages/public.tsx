import type { Actor } from "../../../core/authz/index.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { Paragraphs } from "../../../core/ui/text.tsx";
import { ATTENDANCE_LABELS, frenchDate, MEETING_STATUS_LABELS, meetingWhen, STATUS_TEXT, type PlanDiff, type PlanSnapshot, type SnapshotAction } from "../model.ts";
import type { meetings } from "../schema.ts";

type Territory = { id: number; slug: string; name: string; kind: string };
type Meeting = typeof meetings.$inferSelect;

export interface VersionView {
  number: number;
  label: string;
  effectiveOn: string;
  decisionNumber: number | null;
  decisionTitle: string | null;
}

const decisionText = (v: VersionView) => (v.decisionNumber ? `Décision n° ${v.decisionNumber} : ${v.decisionTitle ?? ""}` : "Signature du plan");

function crumbs(t: Territory, extra: { label: string; href: string }[]) {
  const base = `/t/${t.slug}`;
  return [{ label: "Accueil", href: base }, { label: "Plan d'actions", href: `${base}/plan` }, ...extra];
}

export function VersionsPage(p: { actor: Actor; territory: Territory; versions: VersionView[]; counts: Map<number, number> }) {
  const base = `/t/${p.territory.slug}/plan/versions`;
  const last = p.versions.at(-1);
  return (
    <Layout title="Versions du plan d'actions" actor={p.actor} territory={p.territory} currentPath={base} breadcrumbs={crumbs(p.territory, [{ label: "Versions", href: "" }])}>
      <h1>Versions du plan d'actions</h1>
      <p>La version 1 est le plan signé ; chaque avenant décidé par le comité donne la version suivante.</p>
      {p.versions.length ? (
        <>
          <table class="table">
            <caption class="visually-hidden">Versions du plan, de la première à la plus récente</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">En vigueur depuis le</th>
                <th scope="col">Objet</th>
                <th scope="col">Autorisée par</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {p.versions.map((v) => (
                <tr>
                  <td>
                    <a href={`${base}/${v.number}`}>Version {v.number}</a>
                  </td>
                  <td>{frenchDate(v.effectiveOn)}</td>
                  <td>{v.label}</td>
                  <td>{decisionText(v)}</td>
                  <td>{p.counts.get(v.number) ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {last && last.number > 1 ? (
            <p>
              <a href={`${base}/comparer?de=1&a=${last.number}`}>Comparer le plan signé et la version en vigueur</a>
            </p>
          ) : null}
          {p.versions.length > 1 ? <CompareForm base={base} versions={p.versions} from={1} to={last!.number} /> : null}
        </>
      ) : (
        <EmptyState>
          Aucune version du plan n'est encore enregistrée pour ce territoire : la version 1, le plan tel qu'il est avant le premier avenant, le sera quand le comité appliquera son
          premier avenant.
        </EmptyState>
      )}
    </Layout>
  );
}

function CompareForm(p: { base: string; versions: VersionView[]; from: number; to: number }) {
  return (
    <form method="get" action={`${p.base}/comparer`} class="gov-compare-form">
      <div class="field">
        <label for="comparer-de">De la version</label>
        <select id="comparer-de" name="de">
          {p.versions.map((v) => (
            <option value={String(v.number)} selected={v.number === p.from}>
              Version {v.number}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="comparer-a">À la version</label>
        <select id="comparer-a" name="a">
          {p.versions.map((v) => (
            <option value={String(v.number)} selected={v.number === p.to}>
              Version {v.number}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button button-secondary">
        Comparer
      </button>
    </form>
  );
}

function ActionLine({ a }: { a: SnapshotAction }) {
  return (
    <>
      <strong>Action {a.number}</strong> – {a.title}
      {a.joint ? " ◆" : ""}
      {a.visibility === "draft" ? (
        <>
          {" "}
          <span class="badge badge-draft">Brouillon</span>
        </>
      ) : a.visibility === "confidential" ? (
        <>
          {" "}
          <span class="badge badge-confidential">Confidentielle</span>
        </>
      ) : null}
    </>
  );
}

export function VersionPage(p: { actor: Actor; territory: Territory; version: VersionView; snapshot: PlanSnapshot; total: number }) {
  const base = `/t/${p.territory.slug}/plan/versions`;
  const title = `Version ${p.version.number} du plan d'actions`;
  return (
    <Layout title={title} actor={p.actor} territory={p.territory} currentPath={`${base}/${p.version.number}`} breadcrumbs={crumbs(p.territory, [{ label: "Versions", href: base }, { label: `Version ${p.version.number}`, href: "" }])}>
      <h1>{title}</h1>
      <dl class="facts">
        <dt>En vigueur depuis le</dt>
        <dd>{frenchDate(p.version.effectiveOn)}</dd>
        <dt>Objet</dt>
        <dd>{p.version.label}</dd>
        <dt>Autorisée par</dt>
        <dd>{decisionText(p.version)}</dd>
      </dl>
      {p.version.number > 1 ? (
        <p>
          <a href={`${base}/comparer?de=${p.version.number - 1}&a=${p.version.number}`}>Ce qui a changé par rapport à la version {p.version.number - 1}</a>
        </p>
      ) : null}
      {p.snapshot.themes.length ? (
        p.snapshot.themes.map((t) => (
          <section aria-labelledby={`v-theme-${t.id}`} class="gov-version-theme">
            <h2 id={`v-theme-${t.id}`}>{t.title}</h2>
            {p.snapshot.objectives
              .filter((o) => o.themeId === t.id)
              .map((o) => (
                <>
                  <h3>{o.title}</h3>
                  {p.snapshot.actions.some((a) => a.objectiveId === o.id) ? (
                    <ul>
                      {p.snapshot.actions
                        .filter((a) => a.objectiveId === o.id)
                        .map((a) => (
                          <li>
                            <ActionLine a={a} />
                            {a.lead ? ` (porteur : ${a.lead})` : ""} – {a.status ? (STATUS_TEXT[a.status] ?? a.status) : "Statut non renseigné"}
                          </li>
                        ))}
                    </ul>
                  ) : (
                    <EmptyState>Aucune action pour cet objectif dans cette version.</EmptyState>
                  )}
                </>
              ))}
          </section>
        ))
      ) : (
        <EmptyState>Cette version ne contient aucune action publiée.</EmptyState>
      )}
    </Layout>
  );
}

export function ComparePage(p: {
  actor: Actor;
  territory: Territory;
  versions: VersionView[];
  from: number;
  to: number;
  diff: PlanDiff;
  /** Action id → the versions (with their decision) that touched it in the range. */
  authorisedBy: Map<number, VersionView[]>;
}) {
  const base = `/t/${p.territory.slug}/plan/versions`;
  const title = `Comparaison des versions ${p.from} et ${p.to}`;
  const by = (id: number) => {
    const vs = p.authorisedBy.get(id) ?? [];
    return vs.length ? (
      <p class="gov-authorised">Autorisé par : {vs.map((v) => `${decisionText(v)} (version ${v.number})`).join(" ; ")}</p>
    ) : (
      <p class="gov-authorised">Mise à jour du suivi, hors avenant.</p>
    );
  };
  const d = p.diff;
  return (
    <Layout title={title} actor={p.actor} territory={p.territory} currentPath={`${base}/comparer`} breadcrumbs={crumbs(p.territory, [{ label: "Versions", href: base }, { label: "Comparaison", href: "" }])}>
      <h1>{title}</h1>
      <CompareForm base={base} versions={p.versions} from={p.from} to={p.to} />
      <p>
        {d.added.length} action{d.added.length > 1 ? "s" : ""} ajoutée{d.added.length > 1 ? "s" : ""}, {d.changed.length} modifiée{d.changed.length > 1 ? "s" : ""}, {d.withdrawn.length} retirée
        {d.withdrawn.length > 1 ? "s" : ""}.
      </p>
      <section aria-labelledby="ajoutees">
        <h2 id="ajoutees">Actions ajoutées</h2>
        {d.added.length ? (
          <ul class="gov-diff">
            {d.added.map((a) => (
              <li class="gov-added">
                <ActionLine a={a} />
                {by(a.id)}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucune action ajoutée.</EmptyState>
        )}
      </section>
      <section aria-labelledby="modifiees">
        <h2 id="modifiees">Actions modifiées</h2>
        {d.changed.length ? (
          d.changed.map((c) => (
            <div class="card">
              <h3>
                <ActionLine a={c.after} />
              </h3>
              <table class="table">
                <caption class="visually-hidden">Champs modifiés de l'action {c.after.number}</caption>
                <thead>
                  <tr>
                    <th scope="col">Champ</th>
                    <th scope="col">Version {p.from}</th>
                    <th scope="col">Version {p.to}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.fields.map((f) => (
                    <tr>
                      <th scope="row">{f.label}</th>
                      <td>{f.before || "—"}</td>
                      <td>{f.after || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {by(c.after.id)}
            </div>
          ))
        ) : (
          <EmptyState>Aucune action modifiée.</EmptyState>
        )}
      </section>
      <section aria-labelledby="retirees">
        <h2 id="retirees">Actions retirées</h2>
        {d.withdrawn.length ? (
          <ul class="gov-diff">
            {d.withdrawn.map((a) => (
              <li class="gov-withdrawn">
                <ActionLine a={a} />
                {by(a.id)}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucune action retirée.</EmptyState>
        )}
      </section>
    </Layout>
  );
}

export interface PublicDecision {
  id: number;
  number: number;
  title: string;
  body: string | null;
  decidedOn: string;
  actions: { id: number; number: number; title: string }[];
}

export function DecisionList({ slug, decisions, headingLevel = 3 }: { slug: string; decisions: PublicDecision[]; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <>
      {decisions.map((d) => (
        <article class="gov-decision" aria-labelledby={`decision-${d.id}`}>
          <H id={`decision-${d.id}`}>
            Décision n° {d.number} du {frenchDate(d.decidedOn)} : {d.title}
          </H>
          {d.body ? <Paragraphs text={d.body} /> : null}
          {d.actions.length ? (
            <p>
              Actions concernées :{" "}
              {d.actions.map((a, i) => (
                <>
                  {i ? ", " : ""}
                  <a href={`/t/${slug}/actions/${a.id}`}>action {a.number}</a>
                </>
              ))}
            </p>
          ) : null}
        </article>
      ))}
    </>
  );
}

export function MeetingPublicPage(p: {
  actor: Actor;
  territory: Territory;
  meeting: Meeting;
  bodyName: string;
  agenda: { title: string }[] | null;
  minutes: string | null | undefined;
  attendance: { name: string; attendance: string | null }[] | null;
  decisions: PublicDecision[];
  canReadMinutes: boolean;
}) {
  const base = `/t/${p.territory.slug}`;
  const m = p.meeting;
  return (
    <Layout title={m.title} actor={p.actor} territory={p.territory} currentPath={`${base}/gouvernance`} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Gouvernance", href: `${base}/gouvernance` }, { label: m.title, href: "" }]}>
      <h1>{m.title}</h1>
      <dl class="facts">
        <dt>Instance</dt>
        <dd>{p.bodyName}</dd>
        <dt>Date</dt>
        <dd>{meetingWhen(m.startsAt, m.endsAt)}</dd>
        <dt>Lieu</dt>
        <dd>{m.place ?? "Non précisé"}</dd>
        {p.canReadMinutes && m.videoUrl ? (
          <>
            <dt>Visioconférence</dt>
            <dd>
              <a href={m.videoUrl}>{m.videoUrl}</a>
            </dd>
          </>
        ) : null}
        <dt>État</dt>
        <dd>{MEETING_STATUS_LABELS[m.status]}</dd>
      </dl>
      {m.status === "planned" ? (
        <p>
          <a href={`${base}/gouvernance/reunions/${m.id}/invitation.ics`} download>
            Ajouter à mon agenda (fichier .ics)
          </a>
        </p>
      ) : null}
      {p.agenda ? (
        <section aria-labelledby="odj">
          <h2 id="odj">Ordre du jour</h2>
          {p.agenda.length ? (
            <ol>
              {p.agenda.map((a) => (
                <li>{a.title}</li>
              ))}
            </ol>
          ) : (
            <EmptyState>L'ordre du jour n'est pas encore établi.</EmptyState>
          )}
        </section>
      ) : null}
      {m.status === "held" ? (
        <section aria-labelledby="cr">
          <h2 id="cr">Compte rendu</h2>
          {p.canReadMinutes ? (
            <>
              {p.attendance && p.attendance.length ? (
                <ul class="people">
                  {p.attendance.map((a) => (
                    <li>
                      {a.name} : {a.attendance ? ATTENDANCE_LABELS[a.attendance as keyof typeof ATTENDANCE_LABELS] : "présence non renseignée"}
                    </li>
                  ))}
                </ul>
              ) : null}
              {p.minutes ? <Paragraphs text={p.minutes} /> : <EmptyState>Le compte rendu n'est pas encore rédigé.</EmptyState>}
            </>
          ) : (
            <EmptyState>Le compte rendu est réservé aux membres des comités, aux financeurs et à l'équipe du territoire.</EmptyState>
          )}
        </section>
      ) : null}
      <section aria-labelledby="decisions">
        <h2 id="decisions">Décisions</h2>
        {p.decisions.length ? <DecisionList slug={p.territory.slug} decisions={p.decisions} /> : <EmptyState>Aucune décision n'est enregistrée pour cette réunion.</EmptyState>}
      </section>
    </Layout>
  );
}

/** The governance page's meetings and decisions (rendered inside the territories module's page). */
export function GovernanceActivity(p: {
  slug: string;
  upcoming: { meeting: Meeting; bodyName: string }[];
  held: { meeting: Meeting; bodyName: string }[];
  decisions: PublicDecision[];
}) {
  const link = (m: Meeting) => `/t/${p.slug}/gouvernance/reunions/${m.id}`;
  return (
    <>
      <section aria-labelledby="prochaines-reunions">
        <h2 id="prochaines-reunions">Prochaines réunions</h2>
        {p.upcoming.length ? (
          <ul>
            {p.upcoming.map((r) => (
              <li>
                <a href={link(r.meeting)}>{r.meeting.title}</a> – {r.bodyName}, {meetingWhen(r.meeting.startsAt, r.meeting.endsAt)}
                {r.meeting.place ? `, ${r.meeting.place}` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucune réunion n'est programmée pour le moment.</EmptyState>
        )}
      </section>
      {p.held.length ? (
        <section aria-labelledby="reunions-tenues">
          <h2 id="reunions-tenues">Réunions tenues</h2>
          <ul>
            {p.held.map((r) => (
              <li>
                <a href={link(r.meeting)}>{r.meeting.title}</a> – {r.bodyName}, {meetingWhen(r.meeting.startsAt, r.meeting.endsAt)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="decisions-prises">
        <h2 id="decisions-prises">Décisions prises</h2>
        {p.decisions.length ? <DecisionList slug={p.slug} decisions={p.decisions} /> : <EmptyState>Aucune décision n'est encore enregistrée.</EmptyState>}
        <p>
          <a href={`/t/${p.slug}/plan/versions`}>Versions du plan d'actions et avenants</a>
        </p>
      </section>
    </>
  );
}

/** The « Décisions du comité » section of an action's page (empty when none). */
export function ActionDecisions({ slug, decisions }: { slug: string; decisions: { id: number; number: number; title: string; decidedOn: string; meetingId: number | null }[] }) {
  if (!decisions.length) return null;
  return (
    <section aria-labelledby="decisions-action" class="gov-action-decisions">
      <h2 id="decisions-action">Décisions du comité</h2>
      <ul>
        {decisions.map((d) => (
          <li>
            Décision n° {d.number} du {frenchDate(d.decidedOn)} : {d.title}
            {d.meetingId ? (
              <>
                {" "}
                (<a href={`/t/${slug}/gouvernance/reunions/${d.meetingId}`}>réunion</a>)
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
