// Reads of the workshops, always scoped to the territory of the URL.
import { and, asc, desc, eq, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { memberships, users } from "../../../core/db/schema.ts";
import { actions, themes } from "../../plan/api.ts";
import { companies } from "../../companies/api.ts";
import { interests, notificationPreferences, registrations, workshopActions, workshops } from "../schema.ts";
import { parisWeekday } from "./model.ts";
import type { WorkshopRow } from "./commands.ts";

export interface WorkshopListItem extends WorkshopRow {
  themeTitle: string | null;
  confirmed: number;
  waitlisted: number;
}

const counts = {
  confirmed: sql<number>`(select count(*) from part_registrations r where r.workshop_id = ${workshops.id} and r.status = 'confirmed')`.mapWith(Number),
  waitlisted: sql<number>`(select count(*) from part_registrations r where r.workshop_id = ${workshops.id} and r.status = 'waitlisted')`.mapWith(Number),
};

/** The workshops of a territory: for the public, published, held and cancelled ones (never drafts). */
export async function listWorkshops(db: Db, territoryId: number, opts: { includeDrafts: boolean }): Promise<WorkshopListItem[]> {
  const rows = await db
    .select({ w: workshops, themeTitle: themes.title, ...counts })
    .from(workshops)
    .leftJoin(themes, eq(themes.id, workshops.themeId))
    .where(and(eq(workshops.territoryId, territoryId), opts.includeDrafts ? undefined : ne(workshops.status, "draft")))
    .orderBy(asc(workshops.startsAt), asc(workshops.id));
  return rows.map((r) => ({ ...r.w, themeTitle: r.themeTitle, confirmed: r.confirmed, waitlisted: r.waitlisted }));
}

export interface WorkshopDetail extends WorkshopListItem {
  actions: { id: number; number: number; title: string; visibility: string }[];
}

/** One workshop of the territory with its theme, seats and linked actions; undefined when absent (or a draft, for the public). */
export async function loadWorkshop(db: Db, territoryId: number, id: number, opts: { includeDrafts: boolean }): Promise<WorkshopDetail | undefined> {
  const [r] = await db
    .select({ w: workshops, themeTitle: themes.title, ...counts })
    .from(workshops)
    .leftJoin(themes, eq(themes.id, workshops.themeId))
    .where(and(eq(workshops.id, id), eq(workshops.territoryId, territoryId)));
  if (!r || (!opts.includeDrafts && r.w.status === "draft")) return undefined;
  const linked = await db
    .select({ id: actions.id, number: actions.number, title: actions.title, visibility: actions.visibility })
    .from(workshopActions)
    .innerJoin(actions, eq(actions.id, workshopActions.actionId))
    .where(and(eq(workshopActions.workshopId, id), eq(workshopActions.territoryId, territoryId), isNull(actions.archivedAt)))
    .orderBy(asc(actions.number));
  return { ...r.w, themeTitle: r.themeTitle, confirmed: r.confirmed, waitlisted: r.waitlisted, actions: linked };
}

export interface RegistrationItem {
  id: number;
  userId: number;
  displayName: string;
  email: string;
  companyName: string | null;
  status: "confirmed" | "waitlisted" | "cancelled";
  waitlistedAt: Date | null;
  attended: boolean | null;
  createdAt: Date;
}

/** The registrations of a workshop: confirmed, then the waiting list in its order, then cancelled. */
export async function registrationsOf(db: Db, territoryId: number, workshopId: number): Promise<RegistrationItem[]> {
  const rows = await db
    .select({
      id: registrations.id,
      userId: registrations.userId,
      displayName: users.displayName,
      email: users.email,
      companyName: companies.name,
      status: registrations.status,
      waitlistedAt: registrations.waitlistedAt,
      attended: registrations.attended,
      createdAt: registrations.createdAt,
    })
    .from(registrations)
    .innerJoin(users, eq(users.id, registrations.userId))
    .leftJoin(companies, eq(companies.id, registrations.companyId))
    .where(and(eq(registrations.workshopId, workshopId), eq(registrations.territoryId, territoryId)))
    .orderBy(asc(registrations.createdAt), asc(registrations.id));
  const rank = { confirmed: 0, waitlisted: 1, cancelled: 2 } as const;
  return rows.sort((a, b) => rank[a.status] - rank[b.status] || (a.status === "waitlisted" ? (a.waitlistedAt?.getTime() ?? 0) - (b.waitlistedAt?.getTime() ?? 0) : 0) || a.id - b.id);
}

/** A person's registration to a workshop, if any. */
export async function registrationOf(db: Db, workshopId: number, userId: number) {
  const [r] = await db.select().from(registrations).where(and(eq(registrations.workshopId, workshopId), eq(registrations.userId, userId)));
  return r;
}

/** The position of a waitlisted registration in the waiting list (1 = next to get a seat). */
export async function waitlistPosition(db: Db, workshopId: number, registrationId: number): Promise<number> {
  const rows = await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(eq(registrations.workshopId, workshopId), eq(registrations.status, "waitlisted")))
    .orderBy(asc(registrations.waitlistedAt), asc(registrations.id));
  return rows.findIndex((r) => r.id === registrationId) + 1;
}

export interface Candidate {
  userId: number;
  displayName: string;
  email: string;
  days: number[];
  frequency: string | null;
  format: string | null;
  comment: string | null;
  /** The person turned workshop e-mails off: they cannot be invited by e-mail. */
  optedOut: boolean;
}

/**
 * Who to invite to a workshop: the territory's members who declared an interest in its theme,
 * available on its weekday (no day given: any day), in a compatible format, not registered yet.
 */
export async function inviteCandidates(db: Tx, territoryId: number, w: WorkshopRow): Promise<Candidate[]> {
  if (w.themeId === null) return [];
  const rows = await db
    .select({
      userId: interests.userId,
      displayName: users.displayName,
      email: users.email,
      days: interests.days,
      frequency: interests.frequency,
      format: interests.format,
      comment: interests.comment,
      workshopEmails: notificationPreferences.workshopEmails,
    })
    .from(interests)
    .innerJoin(users, eq(users.id, interests.userId))
    .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, interests.userId), eq(notificationPreferences.territoryId, territoryId)))
    .where(
      and(
        eq(interests.territoryId, territoryId),
        eq(interests.themeId, w.themeId),
        isNull(users.disabledAt),
        isNull(users.anonymisedAt),
        sql`exists (select 1 from ${memberships} m where m.user_id = ${interests.userId} and m.territory_id = ${territoryId} and m.status = 'active')`,
        sql`not exists (select 1 from part_registrations r where r.workshop_id = ${w.id} and r.user_id = ${interests.userId} and r.status <> 'cancelled')`,
      ),
    )
    .orderBy(asc(users.displayName));
  const day = parisWeekday(w.startsAt);
  const formatOk = (f: string | null) => f === null || f === "either" || (f === "in_person" && !!w.place) || (f === "video" && !!w.videoUrl);
  return rows
    .filter((r) => (r.days.length === 0 || r.days.includes(day)) && formatOk(r.format))
    .map((r) => ({ userId: r.userId, displayName: r.displayName, email: r.email, days: r.days, frequency: r.frequency, format: r.format, comment: r.comment, optedOut: r.workshopEmails === false }));
}

/** The declarations of interest of a person in the territory. */
export async function interestsOf(db: Db, territoryId: number, userId: number) {
  return db
    .select({ id: interests.id, themeId: interests.themeId, themeTitle: themes.title, days: interests.days, frequency: interests.frequency, format: interests.format, comment: interests.comment })
    .from(interests)
    .innerJoin(themes, eq(themes.id, interests.themeId))
    .where(and(eq(interests.territoryId, territoryId), eq(interests.userId, userId)))
    .orderBy(asc(themes.position));
}

/** The themes a workshop or an interest may name: the territory's live, published themes. */
export async function themeOptions(db: Db, territoryId: number) {
  return db
    .select({ id: themes.id, code: themes.code, title: themes.title })
    .from(themes)
    .where(and(eq(themes.territoryId, territoryId), isNull(themes.archivedAt), eq(themes.visibility, "published")))
    .orderBy(asc(themes.position));
}

/** The actions a workshop may feed: the territory's live actions, in plan order. */
export async function actionOptions(db: Db, territoryId: number) {
  return db
    .select({ id: actions.id, number: actions.number, title: actions.title })
    .from(actions)
    .where(and(eq(actions.territoryId, territoryId), isNull(actions.archivedAt)))
    .orderBy(asc(actions.number));
}

/** The workshops whose registrations a person holds in the territory (Mon espace), newest first. */
export async function registrationsOfUser(db: Db, territoryId: number, userId: number) {
  return db
    .select({ registration: registrations, workshop: workshops })
    .from(registrations)
    .innerJoin(workshops, eq(workshops.id, registrations.workshopId))
    .where(and(eq(registrations.territoryId, territoryId), eq(registrations.userId, userId)))
    .orderBy(desc(workshops.startsAt));
}

/** Registrations of the other people of a company (Mon espace shows the company's own participation). */
export async function registrationsOfCompany(db: Db, territoryId: number, companyId: number, exceptUserId: number) {
  return db
    .select({ displayName: users.displayName, status: registrations.status, workshopId: workshops.id, title: workshops.title, startsAt: workshops.startsAt })
    .from(registrations)
    .innerJoin(workshops, eq(workshops.id, registrations.workshopId))
    .innerJoin(users, eq(users.id, registrations.userId))
    .where(and(eq(registrations.territoryId, territoryId), eq(registrations.companyId, companyId), ne(registrations.userId, exceptUserId), ne(registrations.status, "cancelled")))
    .orderBy(desc(workshops.startsAt));
}

