// Use cases of the workshops: staff create, edit and cancel them; participants register and cancel,
// the waiting list being promoted in the same transaction. Every write is audited in its transaction;
// e-mails go after the commit (the caller sends what the command returns).
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { recordAudit, diff, type AuditContext } from "../../../core/audit/index.ts";
import { actions, themes } from "../../plan/api.ts";
import { registrations, workshopActions, workshops } from "../schema.ts";
import { confirmedCompanyOf, linkBySiretClaim } from "../espace/company.ts";
import { ConflictError, FormError, NotFoundError } from "./errors.ts";
import { promotable, registrationWindow, seatFor, type RegistrationStatus } from "./model.ts";

export type WorkshopRow = typeof workshops.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;

export interface WorkshopInput {
  title: string;
  themeId: number | null;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  videoUrl: string | null;
  capacity: number;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  status: "draft" | "published" | "held";
  minutes: string | null;
  actionIds: number[];
}

/** The workshop of the territory, locked for the rest of the transaction (registrations are counted under this lock). */
export async function lockWorkshop(tx: Tx, territoryId: number, id: number): Promise<WorkshopRow> {
  const [w] = await tx.select().from(workshops).where(and(eq(workshops.id, id), eq(workshops.territoryId, territoryId))).for("update");
  if (!w) throw new NotFoundError();
  return w;
}

async function confirmedCount(tx: Tx, workshopId: number): Promise<number> {
  const [r] = await tx.select({ n: count() }).from(registrations).where(and(eq(registrations.workshopId, workshopId), eq(registrations.status, "confirmed")));
  return Number(r.n);
}

/** Theme and actions must be the territory's own (the form offers only those). */
async function checkRefs(tx: Tx, territoryId: number, input: WorkshopInput) {
  if (input.themeId !== null) {
    const [t] = await tx.select({ id: themes.id }).from(themes).where(and(eq(themes.id, input.themeId), eq(themes.territoryId, territoryId), isNull(themes.archivedAt)));
    if (!t) throw new FormError({ themeId: "Choisissez une thématique du territoire dans la liste." });
  }
  if (input.actionIds.length) {
    const found = await tx.select({ id: actions.id }).from(actions).where(and(eq(actions.territoryId, territoryId), inArray(actions.id, input.actionIds)));
    if (found.length !== new Set(input.actionIds).size) throw new FormError({ actionIds: "Choisissez des actions du plan du territoire dans la liste." });
  }
}

async function setActions(tx: Tx, territoryId: number, workshopId: number, actionIds: number[]) {
  await tx.delete(workshopActions).where(eq(workshopActions.workshopId, workshopId));
  if (actionIds.length) await tx.insert(workshopActions).values([...new Set(actionIds)].map((actionId) => ({ territoryId, workshopId, actionId })));
}

async function actionIdsOf(tx: Tx, workshopId: number): Promise<number[]> {
  return (await tx.select({ id: workshopActions.actionId }).from(workshopActions).where(eq(workshopActions.workshopId, workshopId)).orderBy(asc(workshopActions.actionId))).map((r) => r.id);
}

const fields = (input: WorkshopInput) => {
  const { actionIds: _a, ...rest } = input;
  return rest;
};

/** Creates a workshop. */
export async function createWorkshop(tx: Tx, audit: AuditContext, territoryId: number, input: WorkshopInput): Promise<WorkshopRow> {
  await checkRefs(tx, territoryId, input);
  const [w] = await tx.insert(workshops).values({ territoryId, ...fields(input), icsUid: `atelier-${randomUUID()}@collines` }).returning();
  await setActions(tx, territoryId, w.id, input.actionIds);
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "workshop", entityId: w.id, after: { ...fields(input), actionIds: input.actionIds } });
  return w;
}

export interface Promotion {
  registrationId: number;
  userId: number;
}

/** Promotes the first waitlisted people into the free seats (the workshop is locked by the caller). */
async function promoteWaitlisted(tx: Tx, audit: AuditContext, w: WorkshopRow, reason: string): Promise<Promotion[]> {
  const confirmed = await confirmedCount(tx, w.id);
  const waiting = await tx
    .select({ id: registrations.id, userId: registrations.userId })
    .from(registrations)
    .where(and(eq(registrations.workshopId, w.id), eq(registrations.status, "waitlisted")))
    .orderBy(asc(registrations.waitlistedAt), asc(registrations.id));
  const n = promotable(confirmed, w.capacity, waiting.length);
  const promoted = waiting.slice(0, n);
  for (const p of promoted) {
    await tx.update(registrations).set({ status: "confirmed", updatedAt: new Date() }).where(eq(registrations.id, p.id));
    await recordAudit(tx, audit, { territoryId: w.territoryId, action: "state", entity: "registration", entityId: p.id, before: { status: "waitlisted" }, after: { status: "confirmed", promoted: reason } });
  }
  return promoted.map((p) => ({ registrationId: p.id, userId: p.userId }));
}

/** What an edit changed that registrants must hear about. */
export interface WorkshopUpdate {
  before: WorkshopRow;
  after: WorkshopRow;
  /** Date, time or place changed: confirmed people get an updated invitation. */
  rescheduled: boolean;
  promoted: Promotion[];
}

/** Edits a workshop; a larger capacity lets the first waitlisted people in. */
export async function updateWorkshop(tx: Tx, audit: AuditContext, territoryId: number, id: number, input: WorkshopInput): Promise<WorkshopUpdate> {
  const before = await lockWorkshop(tx, territoryId, id);
  if (before.status === "cancelled") throw new ConflictError("Cet atelier est annulé : il ne peut plus être modifié.");
  await checkRefs(tx, territoryId, input);
  const confirmed = await confirmedCount(tx, id);
  if (input.capacity < confirmed) {
    throw new FormError({ capacity: `${confirmed} personnes ont déjà une place confirmée : la capacité ne peut pas descendre en dessous de ${confirmed}.` });
  }
  if (input.status === "draft" && before.status !== "draft") {
    const [active] = await tx.select({ n: count() }).from(registrations).where(and(eq(registrations.workshopId, id), ne(registrations.status, "cancelled")));
    if (Number(active.n) > 0) throw new FormError({ status: "Des personnes sont inscrites : un atelier publié ne peut pas redevenir un brouillon. Annulez-le si besoin." });
  }
  const [after] = await tx.update(workshops).set(fields(input)).where(eq(workshops.id, id)).returning();
  const actionsBefore = await actionIdsOf(tx, id);
  await setActions(tx, territoryId, id, input.actionIds);
  const changes = diff({ ...before, actionIds: actionsBefore } as Record<string, unknown>, { ...fields(input), actionIds: [...new Set(input.actionIds)].sort((a, b) => a - b) });
  if (changes) await recordAudit(tx, audit, { territoryId, action: "update", entity: "workshop", entityId: id, before: changes.before, after: changes.after });
  const rescheduled =
    before.status !== "draft" &&
    (before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime() || before.place !== after.place || before.videoUrl !== after.videoUrl || before.title !== after.title);
  if (rescheduled) await tx.update(workshops).set({ reminderSentAt: null }).where(eq(workshops.id, id));
  const promoted = after.status === "published" ? await promoteWaitlisted(tx, audit, after, "capacité augmentée") : [];
  return { before, after, rescheduled, promoted };
}

/** Cancels a workshop: every registration stays as it was (for the record); people are told. */
export async function cancelWorkshop(tx: Tx, audit: AuditContext, territoryId: number, id: number): Promise<{ workshop: WorkshopRow; people: { userId: number; status: RegistrationStatus }[] }> {
  const w = await lockWorkshop(tx, territoryId, id);
  if (w.status === "cancelled") throw new ConflictError("Cet atelier est déjà annulé.");
  if (w.status === "held") throw new ConflictError("Cet atelier a déjà eu lieu : il ne peut plus être annulé.");
  const [after] = await tx.update(workshops).set({ status: "cancelled" }).where(eq(workshops.id, id)).returning();
  await recordAudit(tx, audit, { territoryId, action: "state", entity: "workshop", entityId: id, before: { status: w.status }, after: { status: "cancelled" } });
  const people = await tx
    .select({ userId: registrations.userId, status: registrations.status })
    .from(registrations)
    .where(and(eq(registrations.workshopId, id), ne(registrations.status, "cancelled")));
  return { workshop: after, people };
}

export interface Registered {
  workshop: WorkshopRow;
  registration: RegistrationRow;
  /** False when the person was already registered (nothing changed). */
  changed: boolean;
}

const WINDOW_MESSAGES: Record<string, string> = {
  not_yet: "Les inscriptions ne sont pas encore ouvertes.",
  closed: "Les inscriptions sont closes.",
  cancelled: "Cet atelier est annulé.",
  past: "Cet atelier a déjà eu lieu.",
};

/**
 * Registers a person: a seat when one is free, else the waiting list. The workshop row is locked
 * first, so two people asking for the last seat at once are served one after the other: one
 * confirmed, one waitlisted.
 */
export async function register(tx: Tx, audit: AuditContext, territoryId: number, workshopId: number, userId: number, now = new Date()): Promise<Registered> {
  const w = await lockWorkshop(tx, territoryId, workshopId);
  const window = registrationWindow(w, now);
  if (window === "draft") throw new NotFoundError();
  if (window !== "open") throw new ConflictError(WINDOW_MESSAGES[window]);
  const [existing] = await tx.select().from(registrations).where(and(eq(registrations.workshopId, workshopId), eq(registrations.userId, userId)));
  if (existing && existing.status !== "cancelled") return { workshop: w, registration: existing, changed: false };
  const company = (await linkBySiretClaim(tx, audit, territoryId, userId)) ?? (await confirmedCompanyOf(tx, territoryId, userId));
  const status = seatFor(await confirmedCount(tx, workshopId), w.capacity);
  const values = { status, waitlistedAt: status === "waitlisted" ? now : null, companyId: company?.id ?? null, attended: null, updatedAt: now };
  const [registration] = existing
    ? await tx.update(registrations).set(values).where(eq(registrations.id, existing.id)).returning()
    : await tx.insert(registrations).values({ territoryId, workshopId, userId, ...values }).returning();
  await recordAudit(tx, audit, {
    territoryId,
    action: existing ? "state" : "create",
    entity: "registration",
    entityId: registration.id,
    before: existing ? { status: existing.status } : undefined,
    after: { workshopId, userId, status },
  });
  return { workshop: w, registration, changed: true };
}

export interface Cancelled {
  workshop: WorkshopRow;
  registration: RegistrationRow;
  /** The status the registration had (a confirmed seat frees a place). */
  was: RegistrationStatus;
  promoted: Promotion[];
}

/** Cancels a person's registration; a freed seat goes to the first waitlisted, in the same transaction. */
export async function cancelRegistration(tx: Tx, audit: AuditContext, territoryId: number, workshopId: number, userId: number, now = new Date()): Promise<Cancelled> {
  const w = await lockWorkshop(tx, territoryId, workshopId);
  if (w.status === "draft") throw new NotFoundError();
  const [r] = await tx.select().from(registrations).where(and(eq(registrations.workshopId, workshopId), eq(registrations.userId, userId)));
  if (!r || r.status === "cancelled") throw new ConflictError("Vous n'êtes pas inscrit à cet atelier.");
  if (registrationWindow(w, now) === "past") throw new ConflictError("Cet atelier a déjà eu lieu : l'inscription ne peut plus être annulée.");
  const [registration] = await tx.update(registrations).set({ status: "cancelled", waitlistedAt: null, updatedAt: now }).where(eq(registrations.id, r.id)).returning();
  await recordAudit(tx, audit, { territoryId, action: "state", entity: "registration", entityId: r.id, before: { status: r.status }, after: { status: "cancelled" } });
  const promoted = r.status === "confirmed" && w.status === "published" ? await promoteWaitlisted(tx, audit, w, "désistement") : [];
  return { workshop: w, registration, was: r.status, promoted };
}

/** Records who attended (the ids present in `attended`; the others of the confirmed list did not). */
export async function markAttendance(tx: Tx, audit: AuditContext, territoryId: number, workshopId: number, attended: number[]): Promise<number> {
  const w = await lockWorkshop(tx, territoryId, workshopId);
  if (w.status === "draft" || w.status === "cancelled") throw new ConflictError("Les présences se notent pour un atelier publié ou tenu.");
  const rows = await tx.select().from(registrations).where(and(eq(registrations.workshopId, workshopId), eq(registrations.status, "confirmed")));
  const present = new Set(attended);
  if ([...present].some((id) => !rows.some((r) => r.id === id))) throw new FormError({ attended: "Cochez des personnes inscrites à cet atelier." });
  let changed = 0;
  for (const r of rows) {
    const value = present.has(r.id);
    if (r.attended === value) continue;
    await tx.update(registrations).set({ attended: value, updatedAt: new Date() }).where(eq(registrations.id, r.id));
    await recordAudit(tx, audit, { territoryId, action: "update", entity: "registration", entityId: r.id, before: { attended: r.attended }, after: { attended: value } });
    changed++;
  }
  if (w.status === "published" && w.startsAt.getTime() <= Date.now()) {
    await tx.update(workshops).set({ status: "held" }).where(eq(workshops.id, workshopId));
    await recordAudit(tx, audit, { territoryId, action: "state", entity: "workshop", entityId: workshopId, before: { status: "published" }, after: { status: "held" } });
    changed++;
  }
  return changed;
}

/** Marks the workshop's reminder as sent, unless another run did it first; true when this run won. */
export async function claimReminder(tx: Tx, workshopId: number): Promise<boolean> {
  const rows = await tx
    .update(workshops)
    .set({ reminderSentAt: sql`now()` })
    .where(and(eq(workshops.id, workshopId), isNull(workshops.reminderSentAt)))
    .returning({ id: workshops.id });
  return rows.length === 1;
}
