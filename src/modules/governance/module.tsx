import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute, type RouteContext, type RouteDef } from "../../core/http/registry.ts";
import { can, ANONYMOUS } from "../../core/authz/index.ts";
import { recordAudit } from "../../core/audit/index.ts";
import { checkbox, choiceField, formValues, idField, optionalText, parseForm, textField, type FieldErrors, type FormValues, optionalIdField } from "../../core/forms/index.ts";
import { buildInvitation, parisDateAndTime, parisLocalToInstant } from "../../core/formats/ics.ts";
import type { Tx } from "../../core/db/client.ts";
import { memberships, users } from "../../core/db/schema.ts";
import { actions, objectives, themes } from "../plan/api.ts";
import { governanceBodies, governanceMembers, territoryAuthorities } from "../territories/api.ts";
import { agendaItems, amendmentChanges, decisions, meetingInvitees, meetings } from "./schema.ts";
import {
  addChange,
  agendaSuggestions,
  amendmentOfDecision,
  applyAmendment,
  ConflictError,
  createAmendment,
  createDecision,
  decisionActionRows,
  findAmendment,
  findBody,
  findDecision,
  findMeeting,
  findMember,
  FormError,
  listDecisions,
  listMeetings,
  listVersions,
  actionsTouchedByAmendments,
  loadAgenda,
  loadBodies,
  loadChanges,
  loadInvitees,
  NotFoundError,
  seedDemoMeetings,
  seedFirstVersions,
} from "./data.ts";
import { attributeChanges, BODY_KINDS, diffSnapshots, parseEmails, SIDES, visibleSnapshot, type ReadLevel } from "./model.ts";
import { mailInvitations, meetingEvent } from "./invitations.ts";
import { BodyFormPage, DecisionPage, GovernanceHomePage, gbase, MeetingManagePage, MeetingNewPage, MemberFormPage, type Shell } from "./pages/backoffice.tsx";
import { ComparePage, MeetingPublicPage, VersionPage, VersionsPage, type PublicDecision, type VersionView } from "./pages/public.tsx";
import { loadHistory } from "../audit/api.ts";
import "./policy.ts";

const MANAGE = "governance.committee.manage";
const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });
type Ctx = RouteContext<any, any>;

const shell = (ctx: Ctx): Shell => ({ actor: ctx.actor, territory: ctx.territory, csrfToken: ctx.csrfToken(), flash: ctx.flash });

// ----- form schemas -----

const emailText = (label: string, required: boolean) =>
  z
    .string()
    .trim()
    .max(254, { error: `L'adresse ne doit pas dépasser 254 caractères.` })
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null))
    .refine((v) => (v ? /^[^\s@<>()"]+@[^\s@<>()"]+\.[^\s@<>()"]+$/.test(v) : !required), {
      error: required ? `Indiquez ${label} valide, par exemple nom@exemple.fr.` : `Indiquez ${label} valide, par exemple nom@exemple.fr, ou laissez le champ vide.`,
    });

const bodyForm = z.object({
  kind: choiceField(BODY_KINDS, "Choisissez un type d'instance dans la liste."),
  name: textField("le nom de l'instance", { max: 200 }),
  composition: optionalText("la composition", { max: 1000 }),
  role: optionalText("le rôle", { max: 2000 }),
});

const memberForm = z.object({
  memberName: textField("le nom du membre", { max: 200 }),
  memberRole: optionalText("la fonction", { max: 300 }),
  side: choiceField(SIDES, "Choisissez un collège dans la liste."),
  isChair: checkbox,
  email: emailText("une adresse électronique", false),
  userId: optionalIdField("Choisissez un compte dans la liste."),
});

const isoDate = (label: string) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .min(1, { error: `Indiquez ${label}.` })
    // Typed as the French date picker shows it (jj/mm/aaaa) where the browser has no picker.
    .transform((v) => v.replace(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, (_, d: string, m: string, y: string) => `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`))
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
      error: `Indiquez ${label} au format jj/mm/aaaa.`,
    });
const hhmm = (label: string) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .min(1, { error: `Indiquez ${label}.` })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: `Indiquez ${label} au format hh:mm, par exemple 14:00.` });

const meetingFields = {
  title: textField("l'intitulé de la réunion", { max: 200 }),
  date: isoDate("la date de la réunion"),
  start: hhmm("l'heure de début"),
  end: hhmm("l'heure de fin"),
  place: optionalText("le lieu", { max: 300 }),
  videoUrl: z
    .string()
    .trim()
    .max(500, { error: "Le lien ne doit pas dépasser 500 caractères." })
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || /^https:\/\/[^\s"<>]+$/.test(v), { error: "Le lien de visioconférence commence par https:// (ou laissez le champ vide)." }),
};

/** Start and end as instants (Paris time); errors on the fields when impossible or in the wrong order. */
function meetingTimes(d: { date: string; start: string; end: string }): { ok: true; startsAt: Date; endsAt: Date } | { ok: false; errors: FieldErrors } {
  const startsAt = parisLocalToInstant(d.date, d.start);
  const endsAt = parisLocalToInstant(d.date, d.end);
  if (!startsAt) return { ok: false, errors: { start: "Cette heure n'existe pas ce jour-là (passage à l'heure d'été) : choisissez-en une autre." } };
  if (!endsAt) return { ok: false, errors: { end: "Cette heure n'existe pas ce jour-là (passage à l'heure d'été) : choisissez-en une autre." } };
  if (endsAt.getTime() <= startsAt.getTime()) return { ok: false, errors: { end: "L'heure de fin doit être après l'heure de début." } };
  return { ok: true, startsAt, endsAt };
}

const newMeetingForm = z.object({ bodyId: idField("Choisissez l'instance qui se réunit."), ...meetingFields, extraEmails: optionalText("la liste des autres invités", { max: 5000 }) });
const editMeetingForm = z.object(meetingFields);
const agendaForm = z.object({
  suggestions: z.array(z.string().max(60)).max(200).optional().transform((v) => v ?? []),
  freeTitle: optionalText("l'autre point", { max: 300 }),
});
const inviteeForm = z.object({ inviteeName: textField("le nom de l'invité", { max: 200 }), inviteeEmail: emailText("une adresse électronique", true) });
const minutesForm = z.object({ minutes: optionalText("le compte rendu", { max: 50000 }) });
const decisionForm = z.object({
  decisionTitle: textField("l'objet de la décision", { max: 300 }),
  decisionBody: optionalText("le texte de la décision", { max: 20000 }),
  decidedOn: isoDate("la date de la décision"),
  actionIds: z
    .array(idField("Choisissez les actions parmi celles du plan."))
    .max(500)
    .optional()
    .transform((v) => [...new Set(v ?? [])]),
});
const amendmentForm = z.object({ amendmentTitle: textField("l'intitulé de l'avenant", { max: 300 }) });
const addForm = z.object({
  objectiveId: idField("Choisissez l'objectif de la nouvelle action."),
  title: textField("le titre de l'action", { max: 300 }),
  description: optionalText("la description", { max: 10000 }),
  leadAuthorityId: optionalIdField("Choisissez un porteur dans la liste."),
  joint: checkbox,
  visibility: choiceField(["draft", "published"] as const, "Choisissez une visibilité dans la liste."),
});
const STATUS_CHOICES = ["planned", "in_progress", "done", "paused", "abandoned", "aucun"] as const;
const changeForm = z.object({
  changeActionId: idField("Choisissez l'action à modifier."),
  changeTitle: optionalText("le nouveau titre", { max: 300 }),
  changeDescription: optionalText("la nouvelle description", { max: 10000 }),
  changeObjectiveId: optionalIdField("Choisissez un objectif dans la liste."),
  changeStatus: z
    .union([z.enum(STATUS_CHOICES), z.literal("")], { error: "Choisissez un statut dans la liste." })
    .optional()
    .transform((v) => v || null),
  changeLeadAuthorityId: z
    .union([z.literal(""), z.literal("aucun"), idField("Choisissez un porteur dans la liste.")], { error: "Choisissez un porteur dans la liste." })
    .optional()
    .transform((v) => (v === "" || v === undefined ? undefined : v)),
  changeJoint: z
    .union([z.enum(["oui", "non"]), z.literal("")], { error: "Choisissez oui ou non." })
    .optional()
    .transform((v) => v || null),
});
const withdrawForm = z.object({ withdrawActionId: idField("Choisissez l'action à retirer.") });

// ----- helpers -----

/** The accounts that may be linked to a member: people with an active role in the territory. */
async function accountOptions(ctx: Ctx) {
  const rows = await ctx.database.db
    .selectDistinct({ id: users.id, name: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.territoryId, ctx.territory.id), eq(memberships.status, "active"), isNull(users.anonymisedAt)))
    .orderBy(asc(users.displayName));
  return rows.map((r) => ({ value: String(r.id), label: `${r.name} (${r.email})` }));
}

async function checkAccount(ctx: Ctx, userId: number | null): Promise<void> {
  if (userId == null) return;
  const ok = (await accountOptions(ctx)).some((o) => o.value === String(userId));
  if (!ok) throw new FormError({ userId: "Choisissez un compte dans la liste." });
}

function bodyValues(b: typeof governanceBodies.$inferSelect): FormValues {
  return { kind: b.kind, name: b.name, composition: b.composition ?? "", role: b.role ?? "" };
}
function memberValues(m: typeof governanceMembers.$inferSelect): FormValues {
  return { memberName: m.name, memberRole: m.role ?? "", side: m.side, isChair: m.isChair ? "on" : undefined, email: m.email ?? "", userId: m.userId ? String(m.userId) : "" };
}

async function planOptions(ctx: Ctx) {
  const db = ctx.database.db;
  const tid = ctx.territory.id;
  const [th, ob, ac, au] = await Promise.all([
    db.select().from(themes).where(and(eq(themes.territoryId, tid), isNull(themes.archivedAt))).orderBy(asc(themes.position)),
    db.select().from(objectives).where(and(eq(objectives.territoryId, tid), isNull(objectives.archivedAt))).orderBy(asc(objectives.position)),
    db.select().from(actions).where(and(eq(actions.territoryId, tid), isNull(actions.archivedAt), isNull(actions.withdrawnAt))).orderBy(asc(actions.number)),
    db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, tid)).orderBy(asc(territoryAuthorities.position)),
  ]);
  const objectivesOpt = th.flatMap((t) => ob.filter((o) => o.themeId === t.id).map((o) => ({ value: String(o.id), label: `${t.code} – ${o.title}` })));
  return {
    objectives: objectivesOpt,
    actions: ac.map((a) => ({ value: String(a.id), label: `Action ${a.number} – ${a.title}` })),
    authorities: au.map((a) => ({ value: String(a.id), label: a.name })),
  };
}

async function allActionLabels(ctx: Ctx): Promise<Map<number, string>> {
  const rows = await ctx.database.db.select({ id: actions.id, number: actions.number, title: actions.title }).from(actions).where(eq(actions.territoryId, ctx.territory.id));
  return new Map(rows.map((r) => [r.id, `l'action ${r.number} « ${r.title} »`]));
}

/** The history of records, newest first, for the staff who may read it. */
async function historyOf(ctx: Ctx, records: [string, number | undefined][]) {
  if (!can(ctx.actor, "audit.record.read", { territoryId: ctx.territory.id })) return undefined;
  const lists = await Promise.all(records.filter(([, id]) => id !== undefined).map(([entity, id]) => loadHistory(ctx.database.db, ctx.territory.id, entity, [id!])));
  return lists.flat().sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
}

/** Runs a write in one transaction; bad input, absent record and conflicts come back as values. */
async function attempt<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<{ value: T } | { errors: FieldErrors } | { notFound: true } | { conflict: string }> {
  try {
    return { value: await ctx.database.db.transaction((tx) => fn(tx)) };
  } catch (e) {
    if (e instanceof FormError) return { errors: e.errors };
    if (e instanceof NotFoundError) return { notFound: true };
    if (e instanceof ConflictError) return { conflict: e.message };
    throw e;
  }
}

const audit = (ctx: Ctx) => ctx.audit;

async function meetingPageData(ctx: Ctx, id: number) {
  const db = ctx.database.db;
  const found = await findMeeting(db, ctx.territory.id, id);
  if (!found) return undefined;
  const [agenda, invitees, decs, opts, suggestions] = await Promise.all([
    loadAgenda(db, ctx.territory.id, id),
    loadInvitees(db, ctx.territory.id, id),
    db.select().from(decisions).where(and(eq(decisions.territoryId, ctx.territory.id), eq(decisions.meetingId, id))).orderBy(asc(decisions.number)),
    planOptions(ctx),
    found.meeting.status === "planned" ? agendaSuggestions(db, ctx.territory.id, found.meeting) : Promise.resolve([]),
  ]);
  return { meeting: found.meeting, bodyName: found.bodyName, agenda, invitees, decisions: decs, suggestions, actions: opts.actions };
}

async function renderMeeting(ctx: Ctx, id: number, extra: { values?: FormValues; errors?: FieldErrors; errorForm?: "details" | "agenda" | "minutes" | "decision" | "invitee" } = {}, status = 200) {
  const data = await meetingPageData(ctx, id);
  if (!data) return ctx.reply.callNotFound();
  return ctx.render(<MeetingManagePage {...shell(ctx)} {...data} values={extra.values ?? {}} errors={extra.errors} errorForm={extra.errorForm} history={await historyOf(ctx, [["meeting", id]])} />, status);
}

async function renderDecision(ctx: Ctx, id: number, extra: { values?: FormValues; errors?: FieldErrors; errorForm?: "amendment" | "add" | "change" | "withdraw"; problem?: string } = {}, status = 200) {
  const db = ctx.database.db;
  const d = await findDecision(db, ctx.territory.id, id);
  if (!d) return ctx.reply.callNotFound();
  const [meeting, linked, amendment, opts, labels] = await Promise.all([
    d.meetingId ? findMeeting(db, ctx.territory.id, d.meetingId) : Promise.resolve(undefined),
    decisionActionRows(db, ctx.territory.id, [d.id]),
    amendmentOfDecision(db, ctx.territory.id, d.id),
    planOptions(ctx),
    allActionLabels(ctx),
  ]);
  const changes = amendment ? await loadChanges(db, ctx.territory.id, amendment.id) : [];
  return ctx.render(
    <DecisionPage
      {...shell(ctx)}
      decision={d}
      meeting={meeting ? { id: meeting.meeting.id, title: meeting.meeting.title } : undefined}
      linked={linked}
      amendment={amendment}
      changes={changes}
      objectives={opts.objectives}
      authorities={opts.authorities}
      actions={opts.actions}
      actionLabels={labels}
      values={extra.values ?? {}}
      errors={extra.errors}
      errorForm={extra.errorForm}
      problem={extra.problem}
      history={await historyOf(ctx, [["decision", d.id], ["amendment", amendment?.id]])}
    />,
    status,
  );
}

/** E-mails the invitees (with an address) of a meeting, after the transaction that changed it. */
async function sendToInvitees(ctx: Ctx, meetingId: number, kind: "invitation" | "update" | "cancel", only: "not-invited" | "invited"): Promise<{ sent: number; failed: number }> {
  const db = ctx.database.db;
  const found = await findMeeting(db, ctx.territory.id, meetingId);
  if (!found) return { sent: 0, failed: 0 };
  const invitees = (await loadInvitees(db, ctx.territory.id, meetingId)).filter((i) => i.email && (only === "invited" ? i.invitedAt : !i.invitedAt));
  if (!invitees.length) return { sent: 0, failed: 0 };
  const agenda = await loadAgenda(db, ctx.territory.id, meetingId);
  const sent = await mailInvitations(ctx.mailer, ctx.config, ctx.territory, found.meeting, found.bodyName, agenda, kind, invitees.map((i) => ({ name: i.name, email: i.email! })));
  const reached = invitees.filter((i) => sent.includes(i.email!));
  if (only === "not-invited" && reached.length) {
    await db
      .update(meetingInvitees)
      .set({ invitedAt: new Date() })
      .where(and(eq(meetingInvitees.territoryId, ctx.territory.id), inArray(meetingInvitees.id, reached.map((i) => i.id))));
  }
  return { sent: reached.length, failed: invitees.length - reached.length };
}

/** The French sentence about mails that could not be sent, when any. */
const missed = (r: { failed: number }) => (r.failed ? ` ${r.failed} courriel(s) n'ont pas pu partir : vérifiez les adresses ou le serveur de messagerie, puis réessayez.` : "");

async function toPublicDecisions(ctx: Ctx, rows: (typeof decisions.$inferSelect)[], level: ReadLevel): Promise<PublicDecision[]> {
  const links = await decisionActionRows(ctx.database.db, ctx.territory.id, rows.map((r) => r.id));
  const visible = (v: string) => level === "staff" || v === "published" || (level === "followup" && v === "confidential");
  return rows.map((d) => ({
    id: d.id,
    number: d.number,
    title: d.title,
    body: d.body,
    decidedOn: d.decidedOn,
    actions: links.filter((l) => l.decisionId === d.id && visible(l.visibility)).map((l) => ({ id: l.actionId, number: l.number, title: l.title })),
  }));
}

function readLevel(ctx: Ctx): ReadLevel {
  const scope = { territoryId: ctx.territory.id };
  if (!ctx.actor.user) return "public";
  if (can(ctx.actor, "plan.action.read_unpublished", scope) || can(ctx.actor, MANAGE, scope)) return "staff";
  return can(ctx.actor, "governance.minutes.read", scope) ? "followup" : "public";
}

const versionView = (v: Awaited<ReturnType<typeof listVersions>>[number]): VersionView => ({
  number: v.number,
  label: v.label,
  effectiveOn: v.effectiveOn,
  decisionNumber: v.decisionNumber ?? null,
  decisionTitle: v.decisionTitle ?? null,
});

// ----- routes -----

const backOffice: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/gouvernance",
    summary: "Gouvernance : instances, réunions, décisions",
    kind: "page",
    permission: MANAGE,
    params: slugParams,
    handler: async (ctx) => {
      const db = ctx.database.db;
      const [bodies, ms, ds, vs] = await Promise.all([loadBodies(db, ctx.territory.id), listMeetings(db, ctx.territory.id), listDecisions(db, ctx.territory.id), listVersions(db, ctx.territory.id)]);
      return <GovernanceHomePage {...shell(ctx)} bodies={bodies} meetings={ms} decisions={ds} versions={vs.length} />;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/gouvernance/instances/nouvelle",
    summary: "Formulaire d'ajout d'une instance",
    kind: "page",
    permission: MANAGE,
    params: slugParams,
    handler: async (ctx) => <BodyFormPage {...shell(ctx)} members={[]} values={{ kind: "steering_committee" }} accounts={[]} />,
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/instances/nouvelle",
    summary: "Ajoute une instance",
    kind: "form",
    permission: MANAGE,
    params: slugParams,
    audit: "governance_body",
    handler: async (ctx) => {
      const f = parseForm(bodyForm, ctx.req.body);
      if (!f.ok) return ctx.render(<BodyFormPage {...shell(ctx)} members={[]} values={f.values} errors={f.errors} accounts={[]} />, 422);
      const id = await ctx.database.db.transaction(async (tx) => {
        const existing = await tx.select({ id: governanceBodies.id }).from(governanceBodies).where(eq(governanceBodies.territoryId, ctx.territory.id));
        const [b] = await tx
          .insert(governanceBodies)
          .values({ territoryId: ctx.territory.id, kind: f.data.kind, name: f.data.name, composition: f.data.composition, role: f.data.role, position: existing.length })
          .returning({ id: governanceBodies.id });
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "create", entity: "governance_body", entityId: b!.id, after: f.data });
        return b!.id;
      });
      return ctx.redirect(`${gbase(ctx.territory)}/instances/${id}`, "L'instance est ajoutée. Ajoutez ses membres.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/gouvernance/instances/:id",
    summary: "Une instance et ses membres",
    kind: "page",
    permission: MANAGE,
    params: idParams,
    handler: async (ctx) => {
      const body = await findBody(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!body) return ctx.reply.callNotFound();
      const members = (await loadBodies(ctx.database.db, ctx.territory.id)).find((b) => b.id === body.id)!.members;
      return <BodyFormPage {...shell(ctx)} body={body} members={members} values={bodyValues(body)} accounts={await accountOptions(ctx)} history={await historyOf(ctx, [["governance_body", body.id]])} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/instances/:id",
    summary: "Modifie une instance",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "governance_body",
    handler: async (ctx) => {
      const body = await findBody(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!body) return ctx.reply.callNotFound();
      const f = parseForm(bodyForm, ctx.req.body);
      if (!f.ok) {
        const members = (await loadBodies(ctx.database.db, ctx.territory.id)).find((b) => b.id === body.id)!.members;
        return ctx.render(<BodyFormPage {...shell(ctx)} body={body} members={members} values={f.values} errors={f.errors} accounts={await accountOptions(ctx)} />, 422);
      }
      await ctx.database.db.transaction(async (tx) => {
        await tx.update(governanceBodies).set(f.data).where(and(eq(governanceBodies.id, body.id), eq(governanceBodies.territoryId, ctx.territory.id)));
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "update", entity: "governance_body", entityId: body.id, before: bodyValues(body), after: f.data });
      });
      return ctx.redirect(`${gbase(ctx.territory)}/instances/${body.id}`, "L'instance est enregistrée.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/instances/:id/supprimer",
    summary: "Supprime une instance qui n'a jamais eu de réunion (et ses membres)",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "governance_body",
    handler: async (ctx) => {
      const body = await findBody(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!body) return ctx.reply.callNotFound();
      const r = await attempt(ctx, async (tx) => {
        const used = await tx.select({ id: meetings.id }).from(meetings).where(and(eq(meetings.territoryId, ctx.territory.id), eq(meetings.bodyId, body.id))).limit(1);
        if (used.length) throw new ConflictError("Cette instance a des réunions : elle reste, pour garder leur trace. Rien n'a été supprimé.");
        const members = await tx.select().from(governanceMembers).where(and(eq(governanceMembers.territoryId, ctx.territory.id), eq(governanceMembers.bodyId, body.id)));
        await tx.delete(governanceMembers).where(and(eq(governanceMembers.territoryId, ctx.territory.id), eq(governanceMembers.bodyId, body.id)));
        await tx.delete(governanceBodies).where(and(eq(governanceBodies.territoryId, ctx.territory.id), eq(governanceBodies.id, body.id)));
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "delete", entity: "governance_body", entityId: body.id, before: { ...bodyValues(body), members: members.map((m) => m.name) } });
      });
      if ("conflict" in r) return ctx.redirect(`${gbase(ctx.territory)}/instances/${body.id}`, r.conflict);
      return ctx.redirect(gbase(ctx.territory), `L'instance « ${body.name} » est supprimée.`);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/instances/:id/membres",
    summary: "Ajoute un membre à une instance",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "governance_member",
    handler: async (ctx) => {
      const body = await findBody(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!body) return ctx.reply.callNotFound();
      const f = parseForm(memberForm, ctx.req.body);
      const fail = async (values: FormValues, errors: FieldErrors) => {
        const members = (await loadBodies(ctx.database.db, ctx.territory.id)).find((b) => b.id === body.id)!.members;
        return ctx.render(<BodyFormPage {...shell(ctx)} body={body} members={members} values={bodyValues(body)} memberValues={values} memberErrors={errors} accounts={await accountOptions(ctx)} />, 422);
      };
      if (!f.ok) return fail(f.values, f.errors);
      const r = await attempt(ctx, async (tx) => {
        await checkAccount(ctx, f.data.userId);
        const existing = await tx.select({ id: governanceMembers.id }).from(governanceMembers).where(eq(governanceMembers.bodyId, body.id));
        const [m] = await tx
          .insert(governanceMembers)
          .values({ territoryId: ctx.territory.id, bodyId: body.id, name: f.data.memberName, role: f.data.memberRole, side: f.data.side, isChair: f.data.isChair, email: f.data.email, userId: f.data.userId, position: existing.length })
          .returning({ id: governanceMembers.id });
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "create", entity: "governance_member", entityId: m!.id, after: { bodyId: body.id, ...f.data } });
      });
      if ("errors" in r) return fail(formValues(ctx.req.body), r.errors);
      return ctx.redirect(`${gbase(ctx.territory)}/instances/${body.id}#membres`, `${f.data.memberName} est ajouté(e) à l'instance.`);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/gouvernance/membres/:id",
    summary: "Formulaire de modification d'un membre",
    kind: "page",
    permission: MANAGE,
    params: idParams,
    handler: async (ctx) => {
      const m = await findMember(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!m) return ctx.reply.callNotFound();
      const body = (await findBody(ctx.database.db, ctx.territory.id, m.bodyId))!;
      return <MemberFormPage {...shell(ctx)} body={body} member={m} values={memberValues(m)} accounts={await accountOptions(ctx)} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/membres/:id",
    summary: "Modifie un membre d'une instance",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "governance_member",
    handler: async (ctx) => {
      const m = await findMember(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!m) return ctx.reply.callNotFound();
      const body = (await findBody(ctx.database.db, ctx.territory.id, m.bodyId))!;
      const f = parseForm(memberForm, ctx.req.body);
      const fail = async (values: FormValues, errors: FieldErrors) =>
        ctx.render(<MemberFormPage {...shell(ctx)} body={body} member={m} values={values} errors={errors} accounts={await accountOptions(ctx)} />, 422);
      if (!f.ok) return fail(f.values, f.errors);
      const r = await attempt(ctx, async (tx) => {
        await checkAccount(ctx, f.data.userId);
        const set = { name: f.data.memberName, role: f.data.memberRole, side: f.data.side, isChair: f.data.isChair, email: f.data.email, userId: f.data.userId };
        await tx.update(governanceMembers).set(set).where(and(eq(governanceMembers.id, m.id), eq(governanceMembers.territoryId, ctx.territory.id)));
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "update", entity: "governance_member", entityId: m.id, before: memberValues(m), after: set });
      });
      if ("errors" in r) return fail(formValues(ctx.req.body), r.errors);
      return ctx.redirect(`${gbase(ctx.territory)}/instances/${body.id}#membres`, "Le membre est enregistré.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/membres/:id/retirer",
    summary: "Retire un membre d'une instance",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "governance_member",
    handler: async (ctx) => {
      const m = await findMember(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!m) return ctx.reply.callNotFound();
      await ctx.database.db.transaction(async (tx) => {
        // Past invitations keep the person's name; they no longer point at the member.
        await tx.update(meetingInvitees).set({ memberId: null }).where(and(eq(meetingInvitees.territoryId, ctx.territory.id), eq(meetingInvitees.memberId, m.id)));
        await tx.delete(governanceMembers).where(and(eq(governanceMembers.id, m.id), eq(governanceMembers.territoryId, ctx.territory.id)));
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "delete", entity: "governance_member", entityId: m.id, before: memberValues(m) });
      });
      return ctx.redirect(`${gbase(ctx.territory)}/instances/${m.bodyId}#membres`, `${m.name} est retiré(e) de l'instance.`);
    },
  }),

  // ----- meetings -----
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/gouvernance/reunions/nouvelle",
    summary: "Formulaire de programmation d'une réunion",
    kind: "page",
    permission: MANAGE,
    params: slugParams,
    handler: async (ctx) => {
      const bodies = await loadBodies(ctx.database.db, ctx.territory.id);
      return <MeetingNewPage {...shell(ctx)} bodies={bodies.map((b) => ({ value: String(b.id), label: b.name }))} values={{ start: "14:00", end: "16:00" }} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/nouvelle",
    summary: "Programme une réunion (les membres de l'instance ayant une adresse sont invités)",
    kind: "form",
    permission: MANAGE,
    params: slugParams,
    audit: "meeting",
    handler: async (ctx) => {
      const bodies = await loadBodies(ctx.database.db, ctx.territory.id);
      const fail = (values: FormValues, errors: FieldErrors) => ctx.render(<MeetingNewPage {...shell(ctx)} bodies={bodies.map((b) => ({ value: String(b.id), label: b.name }))} values={values} errors={errors} />, 422);
      const f = parseForm(newMeetingForm, ctx.req.body);
      if (!f.ok) return fail(f.values, f.errors);
      const times = meetingTimes(f.data);
      if (!times.ok) return fail(formValues(ctx.req.body), times.errors);
      const extra = parseEmails(f.data.extraEmails ?? "");
      if (extra.invalid.length) return fail(formValues(ctx.req.body), { extraEmails: `Adresse invalide : ${extra.invalid.slice(0, 3).join(", ")}. Séparez les adresses par des virgules.` });
      const body = bodies.find((b) => b.id === f.data.bodyId);
      if (!body) return fail(formValues(ctx.req.body), { bodyId: "Choisissez l'instance qui se réunit." });
      const id = await ctx.database.db.transaction(async (tx) => {
        const [m] = await tx
          .insert(meetings)
          .values({
            territoryId: ctx.territory.id,
            bodyId: body.id,
            title: f.data.title,
            startsAt: times.startsAt,
            endsAt: times.endsAt,
            place: f.data.place,
            videoUrl: f.data.videoUrl,
            icsUid: `${randomUUID()}@collines`,
            createdBy: ctx.actor.user?.id ?? null,
          })
          .returning({ id: meetings.id });
        const memberEmails = new Set(body.members.map((x) => x.email?.toLowerCase()).filter(Boolean));
        const invitees = [
          ...body.members.map((x) => ({ territoryId: ctx.territory.id, meetingId: m!.id, memberId: x.id, userId: x.userId, name: x.name, email: x.email })),
          ...extra.emails.filter((e) => !memberEmails.has(e)).map((e) => ({ territoryId: ctx.territory.id, meetingId: m!.id, name: e, email: e })),
        ];
        if (invitees.length) await tx.insert(meetingInvitees).values(invitees);
        await recordAudit(tx, audit(ctx), {
          territoryId: ctx.territory.id,
          action: "create",
          entity: "meeting",
          entityId: m!.id,
          after: { bodyId: body.id, title: f.data.title, startsAt: times.startsAt.toISOString(), endsAt: times.endsAt.toISOString(), place: f.data.place, videoUrl: f.data.videoUrl, invitees: invitees.length },
        });
        return m!.id;
      });
      return ctx.redirect(`${gbase(ctx.territory)}/reunions/${id}`, "La réunion est programmée. Préparez l'ordre du jour puis envoyez les invitations.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/gouvernance/reunions/:id",
    summary: "Une réunion : ordre du jour, invitations, présences, compte rendu, décisions",
    kind: "page",
    permission: MANAGE,
    params: idParams,
    handler: async (ctx) => renderMeeting(ctx, ctx.params.id),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/:id",
    summary: "Modifie la date, le lieu ou l'intitulé d'une réunion (les invités reçoivent la mise à jour)",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "meeting",
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found) return ctx.reply.callNotFound();
      const m = found.meeting;
      if (m.status !== "planned") return ctx.redirect(`${gbase(ctx.territory)}/reunions/${m.id}`, "Cette réunion n'est plus prévue : elle ne peut plus être modifiée, rien n'a changé.");
      const f = parseForm(editMeetingForm, ctx.req.body);
      if (!f.ok) return renderMeeting(ctx, m.id, { errors: f.errors, values: f.values, errorForm: "details" }, 422);
      const times = meetingTimes(f.data);
      if (!times.ok) return renderMeeting(ctx, m.id, { errors: times.errors, values: formValues(ctx.req.body), errorForm: "details" }, 422);
      const set = { title: f.data.title, startsAt: times.startsAt, endsAt: times.endsAt, place: f.data.place, videoUrl: f.data.videoUrl };
      const changed = set.title !== m.title || set.startsAt.getTime() !== m.startsAt.getTime() || set.endsAt.getTime() !== m.endsAt.getTime() || set.place !== m.place || set.videoUrl !== m.videoUrl;
      if (!changed) return ctx.redirect(`${gbase(ctx.territory)}/reunions/${m.id}`, "Rien n'a changé.");
      await ctx.database.db.transaction(async (tx) => {
        await tx
          .update(meetings)
          .set({ ...set, icsSequence: m.icsSequence + 1 })
          .where(and(eq(meetings.id, m.id), eq(meetings.territoryId, ctx.territory.id)));
        await recordAudit(tx, audit(ctx), {
          territoryId: ctx.territory.id,
          action: "update",
          entity: "meeting",
          entityId: m.id,
          before: { title: m.title, startsAt: m.startsAt.toISOString(), endsAt: m.endsAt.toISOString(), place: m.place, videoUrl: m.videoUrl, icsSequence: m.icsSequence },
          after: { ...set, startsAt: set.startsAt.toISOString(), endsAt: set.endsAt.toISOString(), icsSequence: m.icsSequence + 1 },
        });
      });
      const r = await sendToInvitees(ctx, m.id, "update", "invited");
      return ctx.redirect(`${gbase(ctx.territory)}/reunions/${m.id}`, `${r.sent ? `La réunion est modifiée ; ${r.sent} invité(s) reçoivent l'invitation mise à jour.` : "La réunion est modifiée."}${missed(r)}`);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/:id/ordre-du-jour",
    summary: "Ajoute à l'ordre du jour les points cochés et un point libre",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "agenda_item",
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found) return ctx.reply.callNotFound();
      const m = found.meeting;
      const f = parseForm(agendaForm, ctx.req.body);
      if (!f.ok) return renderMeeting(ctx, m.id, { errors: f.errors, values: f.values, errorForm: "agenda" }, 422);
      if (m.status !== "planned") return ctx.redirect(`${gbase(ctx.territory)}/reunions/${m.id}`, "Cette réunion n'est plus prévue : son ordre du jour est figé, rien n'a changé.");
      const suggestions = await agendaSuggestions(ctx.database.db, ctx.territory.id, m);
      const picked = suggestions.filter((s) => f.data.suggestions.includes(s.key));
      if (f.data.suggestions.length !== picked.length) return renderMeeting(ctx, m.id, { errors: { freeTitle: "Un point coché n'est plus proposé : rechargez la page." }, values: formValues(ctx.req.body), errorForm: "agenda" }, 422);
      if (!picked.length && !f.data.freeTitle) return renderMeeting(ctx, m.id, { errors: { freeTitle: "Cochez un point proposé ou écrivez un autre point." }, values: formValues(ctx.req.body), errorForm: "agenda" }, 422);
      await ctx.database.db.transaction(async (tx) => {
        const existing = await loadAgenda(tx, ctx.territory.id, m.id);
        let pos = existing.reduce((x, i) => Math.max(x, i.position), -1) + 1;
        const rows = [
          ...picked.map((s) => ({ territoryId: ctx.territory.id, meetingId: m.id, kind: s.kind, title: s.title, actionId: s.actionId, proposalId: s.proposalId, position: pos++ })),
          ...(f.data.freeTitle ? [{ territoryId: ctx.territory.id, meetingId: m.id, kind: "other" as const, title: f.data.freeTitle, actionId: null, proposalId: null, position: pos++ }] : []),
        ];
        const inserted = await tx.insert(agendaItems).values(rows).returning({ id: agendaItems.id });
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "create", entity: "agenda_item", entityId: inserted[0]!.id, after: { meetingId: m.id, items: rows.map((r) => r.title) } });
      });
      return ctx.redirect(`${gbase(ctx.territory)}/reunions/${m.id}#ordre-du-jour`, "L'ordre du jour est complété.");
    },
  }),
  ...(["monter", "descendre", "retirer"] as const).map((verb) =>
    defineRoute({
      method: "POST",
      url: `/t/:slug/gestion/gouvernance/points/:id/${verb}`,
      summary: verb === "retirer" ? "Retire un point de l'ordre du jour" : `${verb === "monter" ? "Monte" : "Descend"} un point de l'ordre du jour`,
      kind: "form",
      permission: MANAGE,
      params: idParams,
      audit: "agenda_item",
      handler: async (ctx) => {
        const db = ctx.database.db;
        const [item] = await db.select().from(agendaItems).where(and(eq(agendaItems.territoryId, ctx.territory.id), eq(agendaItems.id, ctx.params.id)));
        if (!item) return ctx.reply.callNotFound();
        const found = await findMeeting(db, ctx.territory.id, item.meetingId);
        if (found?.meeting.status !== "planned") return ctx.redirect(`${gbase(ctx.territory)}/reunions/${item.meetingId}#ordre-du-jour`, "Cette réunion n'est plus prévue : son ordre du jour est figé.");
        await db.transaction(async (tx) => {
          const list = await loadAgenda(tx, ctx.territory.id, item.meetingId);
          const index = list.findIndex((i) => i.id === item.id);
          if (verb === "retirer") {
            await tx.delete(agendaItems).where(eq(agendaItems.id, item.id));
            await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "delete", entity: "agenda_item", entityId: item.id, before: { title: item.title, meetingId: item.meetingId } });
            return;
          }
          const target = verb === "monter" ? index - 1 : index + 1;
          if (target < 0 || target >= list.length) {
            await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "reorder", entity: "agenda_item", entityId: item.id, after: { unchanged: true } });
            return;
          }
          const order = list.map((i) => i.id);
          [order[index], order[target]] = [order[target]!, order[index]!];
          for (const [pos, id] of order.entries()) await tx.update(agendaItems).set({ position: pos }).where(eq(agendaItems.id, id));
          await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "reorder", entity: "agenda_item", entityId: item.id, before: { position: index }, after: { position: target } });
        });
        return ctx.redirect(`${gbase(ctx.territory)}/reunions/${item.meetingId}#ordre-du-jour`, verb === "retirer" ? "Le point est retiré de l'ordre du jour." : "L'ordre du jour est réordonné.");
      },
    }),
  ),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/:id/invites",
    summary: "Ajoute une personne aux invités d'une réunion",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "meeting_invitee",
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found) return ctx.reply.callNotFound();
      const f = parseForm(inviteeForm, ctx.req.body);
      if (!f.ok) return renderMeeting(ctx, found.meeting.id, { errors: f.errors, values: f.values, errorForm: "invitee" }, 422);
      const existing = await loadInvitees(ctx.database.db, ctx.territory.id, found.meeting.id);
      if (existing.some((i) => i.email?.toLowerCase() === f.data.inviteeEmail)) return renderMeeting(ctx, found.meeting.id, { errors: { inviteeEmail: "Cette adresse est déjà invitée." }, values: formValues(ctx.req.body), errorForm: "invitee" }, 422);
      if (found.meeting.status !== "planned") return ctx.redirect(`${gbase(ctx.territory)}/reunions/${found.meeting.id}`, "Cette réunion n'est plus prévue : personne n'a été ajouté.");
      await ctx.database.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(meetingInvitees)
          .values({ territoryId: ctx.territory.id, meetingId: found.meeting.id, name: f.data.inviteeName, email: f.data.inviteeEmail })
          .returning({ id: meetingInvitees.id });
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "create", entity: "meeting_invitee", entityId: row!.id, after: { meetingId: found.meeting.id, name: f.data.inviteeName, email: f.data.inviteeEmail } });
      });
      return ctx.redirect(`${gbase(ctx.territory)}/reunions/${found.meeting.id}#invites`, `${f.data.inviteeName} est ajouté(e) aux invités. Envoyez les invitations pour le ou la prévenir.`);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/:id/invitations",
    summary: "Envoie les invitations (courriel avec le fichier .ics) aux invités qui ne l'ont pas encore reçue",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "meeting",
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found) return ctx.reply.callNotFound();
      const url = `${gbase(ctx.territory)}/reunions/${found.meeting.id}#invites`;
      if (found.meeting.status !== "planned") return ctx.redirect(url, "Cette réunion n'est plus prévue : aucune invitation n'est partie.");
      const pending = (await loadInvitees(ctx.database.db, ctx.territory.id, found.meeting.id)).filter((i) => i.email && !i.invitedAt);
      if (!pending.length) return ctx.redirect(url, "Toutes les personnes qui ont une adresse ont déjà reçu l'invitation.");
      const r = await sendToInvitees(ctx, found.meeting.id, "invitation", "not-invited");
      await ctx.database.db.transaction((tx) =>
        recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "invite", entity: "meeting", entityId: found.meeting.id, after: { sent: r.sent, failed: r.failed, emails: pending.map((p) => p.email) } }),
      );
      return ctx.redirect(url, `${r.sent} invitation(s) envoyée(s) avec le fichier .ics.${missed(r)}`);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/:id/annuler",
    summary: "Annule une réunion (les invités reçoivent l'annulation .ics)",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "meeting",
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found) return ctx.reply.callNotFound();
      const m = found.meeting;
      const url = `${gbase(ctx.territory)}/reunions/${m.id}`;
      if (m.status !== "planned") return ctx.redirect(url, "Cette réunion n'est plus prévue : rien n'a changé.");
      await ctx.database.db.transaction(async (tx) => {
        await tx.update(meetings).set({ status: "cancelled", icsSequence: m.icsSequence + 1 }).where(and(eq(meetings.id, m.id), eq(meetings.territoryId, ctx.territory.id)));
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "state", entity: "meeting", entityId: m.id, before: { status: m.status }, after: { status: "cancelled", icsSequence: m.icsSequence + 1 } });
      });
      const r = await sendToInvitees(ctx, m.id, "cancel", "invited");
      return ctx.redirect(url, `${r.sent ? `La réunion est annulée ; ${r.sent} invité(s) sont prévenus.` : "La réunion est annulée."}${missed(r)}`);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/:id/compte-rendu",
    summary: "Enregistre les présences et le compte rendu ; la réunion passe à « tenue »",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "meeting",
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found) return ctx.reply.callNotFound();
      const m = found.meeting;
      if (m.status === "cancelled") return ctx.redirect(`${gbase(ctx.territory)}/reunions/${m.id}`, "Cette réunion est annulée : rien n'a été enregistré.");
      const f = parseForm(minutesForm, ctx.req.body);
      if (!f.ok) return renderMeeting(ctx, m.id, { errors: f.errors, values: f.values, errorForm: "minutes" }, 422);
      const values = formValues(ctx.req.body);
      const invitees = await loadInvitees(ctx.database.db, ctx.territory.id, m.id);
      const attendance = new Map<number, "present" | "excused" | "absent" | null>();
      for (const i of invitees) {
        const v = values[`presence-${i.id}`];
        const one = Array.isArray(v) ? v[0] : v;
        if (one === undefined || one === "") attendance.set(i.id, i.attendance);
        else if (one === "present" || one === "excused" || one === "absent") attendance.set(i.id, one);
        else return renderMeeting(ctx, m.id, { errors: { minutes: `Présence inconnue pour ${i.name} : choisissez présent, excusé ou absent.` }, values, errorForm: "minutes" }, 422);
      }
      if (m.startsAt.getTime() > Date.now() + 24 * 3600_000 && m.status === "planned") {
        return renderMeeting(ctx, m.id, { errors: { minutes: "Cette réunion n'a pas encore eu lieu : le compte rendu s'enregistre le jour de la réunion ou après." }, values, errorForm: "minutes" }, 422);
      }
      await ctx.database.db.transaction(async (tx) => {
        for (const [id, a] of attendance) await tx.update(meetingInvitees).set({ attendance: a }).where(and(eq(meetingInvitees.id, id), eq(meetingInvitees.territoryId, ctx.territory.id)));
        await tx
          .update(meetings)
          .set({ status: "held", minutes: f.data.minutes, heldAt: m.heldAt ?? new Date() })
          .where(and(eq(meetings.id, m.id), eq(meetings.territoryId, ctx.territory.id)));
        await recordAudit(tx, audit(ctx), {
          territoryId: ctx.territory.id,
          action: m.status === "held" ? "update" : "state",
          entity: "meeting",
          entityId: m.id,
          before: { status: m.status, minutes: m.minutes },
          after: { status: "held", minutes: f.data.minutes, attendance: Object.fromEntries(attendance) },
        });
      });
      return ctx.redirect(`${gbase(ctx.territory)}/reunions/${m.id}#compte-rendu`, "Les présences et le compte rendu sont enregistrés ; la réunion est tenue.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/reunions/:id/decisions",
    summary: "Enregistre une décision prise en réunion (numérotée pour le territoire)",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "decision",
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found) return ctx.reply.callNotFound();
      const f = parseForm(decisionForm, ctx.req.body);
      if (!f.ok) return renderMeeting(ctx, found.meeting.id, { errors: f.errors, values: f.values, errorForm: "decision" }, 422);
      if (found.meeting.status === "cancelled") return ctx.redirect(`${gbase(ctx.territory)}/reunions/${found.meeting.id}`, "Cette réunion est annulée : aucune décision n'a été enregistrée.");
      const r = await attempt(ctx, (tx) =>
        createDecision(tx, audit(ctx), { territoryId: ctx.territory.id, meetingId: found.meeting.id, title: f.data.decisionTitle, body: f.data.decisionBody, decidedOn: f.data.decidedOn, actionIds: f.data.actionIds }),
      );
      if ("errors" in r) return renderMeeting(ctx, found.meeting.id, { errors: r.errors, values: formValues(ctx.req.body), errorForm: "decision" }, 422);
      if (!("value" in r)) throw new Error("unexpected outcome");
      return ctx.redirect(`${gbase(ctx.territory)}/decisions/${r.value.id}`, `La décision n° ${r.value.number} est enregistrée.`);
    },
  }),

  // ----- decisions and amendments -----
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/gouvernance/decisions/:id",
    summary: "Une décision et son avenant",
    kind: "page",
    permission: MANAGE,
    params: idParams,
    handler: async (ctx) => renderDecision(ctx, ctx.params.id),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/decisions/:id/avenant",
    summary: "Prépare l'avenant d'une décision",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "amendment",
    handler: async (ctx) => {
      const d = await findDecision(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!d) return ctx.reply.callNotFound();
      const f = parseForm(amendmentForm, ctx.req.body);
      if (!f.ok) return renderDecision(ctx, d.id, { errors: f.errors, values: f.values, errorForm: "amendment" }, 422);
      const r = await attempt(ctx, (tx) => createAmendment(tx, audit(ctx), ctx.territory.id, d.id, f.data.amendmentTitle));
      if ("conflict" in r) return renderDecision(ctx, d.id, { problem: r.conflict }, 409);
      return ctx.redirect(`${gbase(ctx.territory)}/decisions/${d.id}#avenant`, "L'avenant est en préparation : ajoutez ses changements puis appliquez-le.");
    },
  }),
  ...(
    [
      ["ajout", "add", "Ajoute à un avenant une nouvelle action"],
      ["modification", "change", "Ajoute à un avenant la modification d'une action"],
      ["retrait", "withdraw", "Ajoute à un avenant le retrait d'une action"],
    ] as const
  ).map(([segment, kind, summary]) =>
    defineRoute({
      method: "POST",
      url: `/t/:slug/gestion/gouvernance/avenants/:id/${segment}`,
      summary,
      kind: "form",
      permission: MANAGE,
      params: idParams,
      audit: "amendment_change",
      handler: async (ctx) => {
        const a = await findAmendment(ctx.database.db, ctx.territory.id, ctx.params.id);
        if (!a || !a.decisionId) return ctx.reply.callNotFound();
        const fail = (values: FormValues, errors: FieldErrors, status = 422) => renderDecision(ctx, a.decisionId!, { values, errors, errorForm: kind }, status);
        let run: (tx: Tx) => Promise<number>;
        if (kind === "add") {
          const f = parseForm(addForm, ctx.req.body);
          if (!f.ok) return fail(f.values, f.errors);
          run = (tx) => addChange(tx, audit(ctx), ctx.territory.id, a.id, { kind: "add", payload: f.data });
        } else if (kind === "change") {
          const f = parseForm(changeForm, ctx.req.body);
          if (!f.ok) return fail(f.values, f.errors);
          const d = f.data;
          const payload: Record<string, unknown> = {};
          if (d.changeTitle) payload.title = d.changeTitle;
          if (d.changeDescription) payload.description = d.changeDescription;
          if (d.changeObjectiveId) payload.objectiveId = d.changeObjectiveId;
          if (d.changeStatus) payload.status = d.changeStatus === "aucun" ? null : d.changeStatus;
          if (d.changeLeadAuthorityId !== undefined) payload.leadAuthorityId = d.changeLeadAuthorityId === "aucun" ? null : d.changeLeadAuthorityId;
          if (d.changeJoint) payload.joint = d.changeJoint === "oui";
          if (!Object.keys(payload).length) return fail(formValues(ctx.req.body), { changeTitle: "Indiquez au moins un champ qui change." });
          run = (tx) => addChange(tx, audit(ctx), ctx.territory.id, a.id, { kind: "change", actionId: d.changeActionId, payload });
        } else {
          const f = parseForm(withdrawForm, ctx.req.body);
          if (!f.ok) return fail(f.values, f.errors);
          run = (tx) => addChange(tx, audit(ctx), ctx.territory.id, a.id, { kind: "withdraw", actionId: f.data.withdrawActionId });
        }
        const r = await attempt(ctx, run);
        if ("errors" in r) {
          const prefix = kind === "change" ? "change" : kind === "withdraw" ? "withdraw" : "";
          const errors = Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [prefix ? `${prefix}${k[0]!.toUpperCase()}${k.slice(1)}` : k, v]));
          return fail(formValues(ctx.req.body), errors);
        }
        if ("conflict" in r) return renderDecision(ctx, a.decisionId, { problem: r.conflict }, 409);
        if ("notFound" in r) return ctx.reply.callNotFound();
        return ctx.redirect(`${gbase(ctx.territory)}/decisions/${a.decisionId}#avenant`, "Le changement est ajouté à l'avenant.");
      },
    }),
  ),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/changements/:id/retirer",
    summary: "Retire un changement d'un avenant en préparation",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "amendment_change",
    handler: async (ctx) => {
      const db = ctx.database.db;
      const [c] = await db.select().from(amendmentChanges).where(and(eq(amendmentChanges.territoryId, ctx.territory.id), eq(amendmentChanges.id, ctx.params.id)));
      if (!c) return ctx.reply.callNotFound();
      const a = (await findAmendment(db, ctx.territory.id, c.amendmentId))!;
      if (a.status !== "draft") return renderDecision(ctx, a.decisionId!, { problem: "Cet avenant est appliqué : ses changements ne peuvent plus être retirés." }, 409);
      await db.transaction(async (tx) => {
        await tx.delete(amendmentChanges).where(eq(amendmentChanges.id, c.id));
        await recordAudit(tx, audit(ctx), { territoryId: ctx.territory.id, action: "delete", entity: "amendment_change", entityId: c.id, before: { kind: c.kind, actionId: c.actionId, payload: c.payload } });
      });
      return ctx.redirect(`${gbase(ctx.territory)}/decisions/${a.decisionId}#avenant`, "Le changement est retiré de l'avenant.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/gouvernance/avenants/:id/appliquer",
    summary: "Applique un avenant au plan en une transaction et crée la version suivante du plan",
    kind: "form",
    permission: MANAGE,
    params: idParams,
    audit: "amendment",
    handler: async (ctx) => {
      const a = await findAmendment(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!a) return ctx.reply.callNotFound();
      const r = await attempt(ctx, (tx) => applyAmendment(tx, audit(ctx), ctx.territory.id, a.id));
      if ("conflict" in r) return renderDecision(ctx, a.decisionId!, { problem: r.conflict }, 409);
      if ("notFound" in r) return ctx.reply.callNotFound();
      if (!("value" in r)) throw new Error("unexpected outcome");
      return ctx.redirect(`/t/${ctx.territory.slug}/plan/versions/comparer?de=${r.value.versionNumber - 1}&a=${r.value.versionNumber}`, `L'avenant n° ${a.number} est appliqué : voici la version ${r.value.versionNumber} du plan.`);
    },
  }),
];

const publicRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gouvernance/reunions/:id",
    summary: "Une réunion d'une instance (compte rendu réservé aux membres des comités, financeurs et équipe)",
    kind: "page",
    permission: "public",
    params: idParams,
    cache: true,
    handler: async (ctx) => {
      const db = ctx.database.db;
      const found = await findMeeting(db, ctx.territory.id, ctx.params.id);
      if (!found || found.meeting.status === "cancelled") return ctx.reply.callNotFound();
      const level = readLevel(ctx);
      const canReadMinutes = level !== "public";
      const [agenda, invitees, decs] = await Promise.all([
        loadAgenda(db, ctx.territory.id, found.meeting.id),
        canReadMinutes ? loadInvitees(db, ctx.territory.id, found.meeting.id) : Promise.resolve([]),
        db.select().from(decisions).where(and(eq(decisions.territoryId, ctx.territory.id), eq(decisions.meetingId, found.meeting.id))).orderBy(asc(decisions.number)),
      ]);
      return (
        <MeetingPublicPage
          actor={ctx.actor}
          territory={ctx.territory}
          meeting={found.meeting}
          bodyName={found.bodyName}
          agenda={canReadMinutes ? agenda : null}
          minutes={canReadMinutes ? found.meeting.minutes : undefined}
          attendance={canReadMinutes ? invitees.map((i) => ({ name: i.name, attendance: i.attendance })) : null}
          decisions={await toPublicDecisions(ctx, decs, level)}
          canReadMinutes={canReadMinutes}
        />
      );
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gouvernance/reunions/:id/invitation.ics",
    summary: "La réunion au format iCalendar (.ics), pour l'ajouter à un agenda",
    kind: "file",
    permission: "public",
    params: idParams,
    cache: true,
    handler: async (ctx) => {
      const found = await findMeeting(ctx.database.db, ctx.territory.id, ctx.params.id);
      if (!found || found.meeting.status === "cancelled") return ctx.reply.callNotFound();
      const level = readLevel(ctx);
      const m = level === "public" ? { ...found.meeting, videoUrl: null } : found.meeting;
      const ics = buildInvitation({ ...meetingEvent(ctx.config, ctx.territory, m, found.bodyName, [], "REQUEST", []) });
      ctx.reply.header("content-type", "text/calendar; charset=utf-8").header("content-disposition", `attachment; filename="reunion-${found.meeting.id}.ics"`);
      return ics;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/plan/versions",
    summary: "Versions du plan d'actions (plan signé puis avenants)",
    kind: "page",
    permission: "public",
    params: slugParams,
    cache: true,
    handler: async (ctx) => {
      const level = readLevel(ctx);
      const vs = await listVersions(ctx.database.db, ctx.territory.id);
      const counts = new Map(vs.map((v) => [v.number, visibleSnapshot(v.snapshot, level).actions.length]));
      return <VersionsPage actor={ctx.actor} territory={ctx.territory} versions={vs.map(versionView)} counts={counts} />;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/plan/versions/comparer",
    summary: "Comparaison de deux versions du plan : actions ajoutées, modifiées champ par champ, retirées, et la décision qui l'a autorisé",
    kind: "page",
    permission: "public",
    params: slugParams,
    query: z.object({
      de: z.coerce.number({ error: "Version inconnue." }).int({ error: "Version inconnue." }).min(1, { error: "Version inconnue." }).max(100000, { error: "Version inconnue." }).optional(),
      a: z.coerce.number({ error: "Version inconnue." }).int({ error: "Version inconnue." }).min(1, { error: "Version inconnue." }).max(100000, { error: "Version inconnue." }).optional(),
    }),
    cache: true,
    handler: async (ctx) => {
      const level = readLevel(ctx);
      const vs = await listVersions(ctx.database.db, ctx.territory.id);
      if (!vs.length) return ctx.reply.callNotFound();
      const from = ctx.query.de ?? 1;
      const to = ctx.query.a ?? vs.at(-1)!.number;
      const a = vs.find((v) => v.number === from);
      const b = vs.find((v) => v.number === to);
      if (!a || !b) return ctx.reply.callNotFound();
      const touched = await actionsTouchedByAmendments(ctx.database.db, ctx.territory.id);
      const filtered = vs.map((v) => ({ ...v, snapshot: visibleSnapshot(v.snapshot, level), touched: v.amendmentId ? (touched.get(v.amendmentId) ?? new Set<number>()) : undefined }));
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      const attribution = attributeChanges(filtered, lo, hi);
      const authorisedBy = new Map([...attribution].map(([id, list]) => [id, list.map(versionView)]));
      const diff = diffSnapshots(visibleSnapshot(a.snapshot, level), visibleSnapshot(b.snapshot, level));
      return <ComparePage actor={ctx.actor} territory={ctx.territory} versions={vs.map(versionView)} from={from} to={to} diff={diff} authorisedBy={authorisedBy} />;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/plan/versions/:n",
    summary: "Le plan d'actions tel qu'il était dans une version",
    kind: "page",
    permission: "public",
    params: z.object({ slug: z.string(), n: z.coerce.number().int().positive().max(100000) }),
    cache: true,
    handler: async (ctx) => {
      const vs = await listVersions(ctx.database.db, ctx.territory.id);
      const v = vs.find((x) => x.number === ctx.params.n);
      if (!v) return ctx.reply.callNotFound();
      const snapshot = visibleSnapshot(v.snapshot, readLevel(ctx));
      return <VersionPage actor={ctx.actor} territory={ctx.territory} version={versionView(v)} snapshot={snapshot} total={snapshot.actions.length} />;
    },
  }),
];

/** Committees at work: meetings, agendas, invitations, minutes, decisions, amendments and plan versions. */
export const governanceModule = defineModule({
  id: "governance",
  routes: [...backOffice, ...publicRoutes],
  // Version 1 of each territory's plan: the plan as signed (idempotent).
  seed: async (database) => {
    await seedFirstVersions(database.db, { actor: ANONYMOUS, role: "system" });
    await seedDemoMeetings(database.db, { actor: ANONYMOUS, role: "system" });
  },
});

export { parisDateAndTime };
