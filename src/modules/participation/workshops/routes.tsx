// Public routes of the workshops: list, page, calendar file; registration and its cancellation.
import { z } from "zod";
import { defineRoute } from "../../../core/http/registry.ts";
import { can } from "../../../core/authz/index.ts";
import { attempt, type Ctx } from "./errors.ts";
import { cancelRegistration, register } from "./commands.ts";
import { listWorkshops, loadWorkshop, registrationOf, waitlistPosition } from "./queries.ts";
import { documentFile, documentsOf } from "./documents.ts";
import { sendStoredFile } from "../../../core/http/upload.ts";
import { workshopIcs } from "./ics.ts";
import { sendAll, workshopUrl, type WorkshopMailKind } from "./mails.ts";
import { organizer, type MailEnv } from "../notifications/mail.ts";
import { WorkshopPage, WorkshopsPage, type MyRegistration } from "./views.tsx";
import "../policy.ts";

const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });
const docParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647), docId: z.coerce.number().int().positive().max(2147483647) });

/** What sending e-mails needs, from a request. */
export const mailEnv = (ctx: Ctx): MailEnv => ({ db: ctx.database.db, mailer: ctx.mailer, baseUrl: ctx.config.baseUrl, mailFrom: ctx.config.mailFrom, log: ctx.req.log });

const territoryRef = (ctx: Ctx) => ({ id: ctx.territory.id, slug: ctx.territory.slug, name: ctx.territory.name });

async function renderWorkshop(ctx: Ctx, id: number, conflict?: string, status = 200) {
  const db = ctx.database.db;
  const staff = can(ctx.actor, "participation.workshop.manage", { territoryId: ctx.territory.id });
  const w = await loadWorkshop(db, ctx.territory.id, id, { includeDrafts: staff });
  if (!w) return ctx.reply.callNotFound();
  const member = can(ctx.actor, "participation.workshop.register", { territoryId: ctx.territory.id });
  let mine: MyRegistration | undefined;
  if (ctx.actor.user) {
    const r = await registrationOf(db, w.id, ctx.actor.user.id);
    if (r) mine = { status: r.status, position: r.status === "waitlisted" ? await waitlistPosition(db, w.id, r.id) : undefined };
  }
  const documents = await documentsOf(db, ctx.territory.id, w.id);
  return ctx.render(<WorkshopPage actor={ctx.actor} territory={ctx.territory} w={w} member={member} mine={mine} csrfToken={ctx.csrfToken()} conflict={conflict} documents={documents} />, status);
}

export const workshopRoutes = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/ateliers",
    summary: "Ateliers thématiques du territoire (à venir et passés)",
    kind: "page",
    permission: "public",
    params: slugParams,
    handler: async (ctx) => {
      const list = await listWorkshops(ctx.database.db, ctx.territory.id, { includeDrafts: false });
      return <WorkshopsPage actor={ctx.actor} territory={ctx.territory} workshops={list} canDeclare={can(ctx.actor, "participation.interest.declare", { territoryId: ctx.territory.id })} />;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/ateliers/:id",
    summary: "Page d'un atelier : date, lieu, places, inscription",
    kind: "page",
    permission: "public",
    params: idParams,
    handler: (ctx) => renderWorkshop(ctx, ctx.params.id),
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/ateliers/:id/agenda.ics",
    summary: "Un atelier au format iCalendar (.ics, heure de Paris)",
    kind: "file",
    permission: "public",
    params: idParams,
    handler: async (ctx) => {
      const w = await loadWorkshop(ctx.database.db, ctx.territory.id, ctx.params.id, { includeDrafts: false });
      if (!w || w.status === "cancelled") return ctx.reply.callNotFound();
      ctx.reply.header("content-type", "text/calendar; charset=utf-8").header("content-disposition", `attachment; filename="atelier-${w.id}.ics"`);
      return workshopIcs(w, { method: "REQUEST", url: workshopUrl(ctx.config.baseUrl, ctx.territory, w), organizer: organizer(ctx.config.mailFrom) });
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/ateliers/:id/documents/:docId",
    summary: "Télécharger un document d'un atelier (compte rendu, présentation…)",
    kind: "file",
    permission: "public",
    params: docParams,
    handler: async (ctx) => {
      const staff = can(ctx.actor, "participation.workshop.manage", { territoryId: ctx.territory.id });
      const w = await loadWorkshop(ctx.database.db, ctx.territory.id, ctx.params.id, { includeDrafts: staff });
      const doc = w ? await documentFile(ctx.database.db, ctx.territory.id, w.id, ctx.params.docId) : undefined;
      if (!doc) return ctx.reply.callNotFound();
      return sendStoredFile(ctx.reply, ctx.config, doc.file);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/ateliers/:id/inscription",
    summary: "S'inscrire à un atelier (place confirmée, ou liste d'attente quand il est complet)",
    kind: "form",
    permission: "participation.workshop.register",
    params: idParams,
    audit: "registration",
    handler: async (ctx) => {
      const userId = ctx.actor.user!.id;
      const r = await attempt(ctx, (tx) => register(tx, ctx.audit, ctx.territory.id, ctx.params.id, userId));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("conflict" in r) return renderWorkshop(ctx, ctx.params.id, r.conflict, 409);
      if ("errors" in r) return renderWorkshop(ctx, ctx.params.id, Object.values(r.errors)[0], 422);
      const { workshop, registration, changed } = r.value;
      const path = `/t/${ctx.territory.slug}/ateliers/${workshop.id}`;
      if (!changed) return ctx.redirect(path, "Vous étiez déjà inscrit à cet atelier.");
      const kind: WorkshopMailKind = registration.status === "confirmed" ? "confirmed" : "waitlisted";
      await sendAll(mailEnv(ctx), territoryRef(ctx), workshop, [{ userId, kind }]);
      return ctx.redirect(
        path,
        kind === "confirmed"
          ? "Votre inscription est confirmée. Vous allez recevoir un courriel avec l'invitation pour votre agenda."
          : "L'atelier est complet : vous êtes sur la liste d'attente. Vous recevrez un courriel si une place se libère.",
      );
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/ateliers/:id/desinscription",
    summary: "Annuler son inscription à un atelier (la place va au premier de la liste d'attente)",
    kind: "form",
    permission: "participation.workshop.register",
    params: idParams,
    audit: "registration",
    handler: async (ctx) => {
      const userId = ctx.actor.user!.id;
      const r = await attempt(ctx, (tx) => cancelRegistration(tx, ctx.audit, ctx.territory.id, ctx.params.id, userId));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("conflict" in r) return renderWorkshop(ctx, ctx.params.id, r.conflict, 409);
      if ("errors" in r) return renderWorkshop(ctx, ctx.params.id, Object.values(r.errors)[0], 422);
      const { workshop, was, promoted } = r.value;
      await sendAll(mailEnv(ctx), territoryRef(ctx), workshop, [
        { userId, kind: was === "confirmed" ? "cancelled" : "withdrawn" },
        ...promoted.map((p) => ({ userId: p.userId, kind: "promoted" as const })),
      ]);
      return ctx.redirect(`/t/${ctx.territory.slug}/ateliers/${workshop.id}`, was === "confirmed" ? "Votre inscription est annulée." : "Vous avez quitté la liste d'attente.");
    },
  }),
];
