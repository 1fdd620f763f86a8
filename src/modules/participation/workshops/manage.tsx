// Back-office routes of the workshops (staff: agents, territory admins, platform admins).
import { z } from "zod";
import { eq } from "drizzle-orm";
import { defineRoute } from "../../../core/http/registry.ts";
import { formValues, idField, parseForm, textField, type FieldErrors, type FormValues } from "../../../core/forms/index.ts";
import { textFields, UploadRejected, uploadedFile } from "../../../core/http/upload.ts";
import { recordAudit } from "../../../core/audit/index.ts";
import { loadHistory } from "../../audit/api.ts";
import { workshopActions } from "../schema.ts";
import { attempt, ConflictError, FormError, type Ctx } from "./errors.ts";
import { cancelWorkshop, createWorkshop, lockWorkshop, markAttendance, updateWorkshop } from "./commands.ts";
import { actionOptions, inviteCandidates, listWorkshops, loadWorkshop, registrationsOf, themeOptions } from "./queries.ts";
import { workshopForm, workshopInput, workshopValues } from "./form.ts";
import { sendAll } from "./mails.ts";
import { addDocument, documentsOf, removeDocument } from "./documents.ts";
import { mailEnv } from "./routes.tsx";
import { EditWorkshopPage, ManageWorkshopsPage, NewWorkshopPage } from "./manage-views.tsx";
import "../policy.ts";

const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });
const PERMISSION = "participation.workshop.manage";
const gestion = (ctx: Ctx) => `/t/${ctx.territory.slug}/gestion/ateliers`;
const territoryRef = (ctx: Ctx) => ({ id: ctx.territory.id, slug: ctx.territory.slug, name: ctx.territory.name });

const attendanceForm = z.object({ attended: z.array(idField("Cochez des personnes inscrites à cet atelier.")).optional().default([]) });
const docParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647), docId: z.coerce.number().int().positive().max(2147483647) });
const documentForm = z.object({ documentTitle: textField("le titre du document", { max: 200 }) });
const inviteForm = z.object({ userIds: z.array(idField("Cochez des personnes de la liste.")).min(1, { error: "Cochez au moins une personne à inviter." }).optional() });

/** When each person was invited to this workshop, from the workshop's audit entries. */
function invitedAt(history: Awaited<ReturnType<typeof loadHistory>>): Map<number, Date> {
  const out = new Map<number, Date>();
  for (const h of history) {
    if (h.action !== "invite") continue;
    for (const id of ((h.after as { userIds?: number[] } | null)?.userIds ?? [])) if (!out.has(id)) out.set(id, h.at);
  }
  return out;
}

async function renderNew(ctx: Ctx, state: { values?: FormValues; errors?: FieldErrors } = {}, status = 200) {
  const db = ctx.database.db;
  const [themes, actions] = await Promise.all([themeOptions(db, ctx.territory.id), actionOptions(db, ctx.territory.id)]);
  const values = state.values ?? { capacity: "20", status: "published", startTime: "09:30", endTime: "11:30" };
  return ctx.render(<NewWorkshopPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} values={values} errors={state.errors} themes={themes} actions={actions} />, status);
}

async function renderEdit(ctx: Ctx, id: number, state: { values?: FormValues; errors?: FieldErrors; conflict?: string } = {}, status = 200) {
  const db = ctx.database.db;
  const w = await loadWorkshop(db, ctx.territory.id, id, { includeDrafts: true });
  if (!w) return ctx.reply.callNotFound();
  const [themes, actions, registrations, candidates, history, linked, documents] = await Promise.all([
    themeOptions(db, ctx.territory.id),
    actionOptions(db, ctx.territory.id),
    registrationsOf(db, ctx.territory.id, id),
    inviteCandidates(db, ctx.territory.id, w),
    loadHistory(db, ctx.territory.id, "workshop", [id]),
    db.select({ id: workshopActions.actionId }).from(workshopActions).where(eq(workshopActions.workshopId, id)),
    documentsOf(db, ctx.territory.id, id),
  ]);
  return ctx.render(
    <EditWorkshopPage
      actor={ctx.actor}
      territory={ctx.territory}
      csrfToken={ctx.csrfToken()}
      flash={ctx.flash}
      values={state.values?.section === "documents" ? { ...workshopValues(w, linked.map((l) => l.id)), ...state.values } : (state.values ?? workshopValues(w, linked.map((l) => l.id)))}
      errors={state.errors}
      conflict={state.conflict}
      themes={themes}
      actions={actions}
      existing={w}
      registrations={registrations}
      candidates={candidates}
      invitedAt={invitedAt(history)}
      history={history}
      documents={documents}
    />,
    status,
  );
}

export const workshopManageRoutes = [
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/ateliers/:id/documents",
    summary: "Ajouter un document à un atelier (formulaire multipart : titre, fichier)",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    body: documentForm,
    audit: "workshop_document",
    handler: async (ctx) => {
      const values = textFields(ctx.req.body);
      const form = parseForm(documentForm, values);
      const file = uploadedFile(ctx.req.body, "file");
      const errors: FieldErrors = form.ok ? {} : { ...form.errors };
      if (!file) errors.file = "Choisissez le fichier à ajouter.";
      if (!form.ok || !file) return renderEdit(ctx, ctx.params.id, { errors, values: { ...values, section: "documents" } }, 422);
      try {
        const r = await attempt(ctx, (tx) => addDocument(tx, ctx.audit, ctx.config, ctx.territory.id, ctx.params.id, { title: form.data.documentTitle, file }));
        if ("notFound" in r) return ctx.reply.callNotFound();
        if ("conflict" in r) return renderEdit(ctx, ctx.params.id, { conflict: r.conflict }, 409);
        if ("errors" in r) return renderEdit(ctx, ctx.params.id, { errors: r.errors, values: { ...values, section: "documents" } }, 422);
      } catch (e) {
        if (e instanceof UploadRejected) return renderEdit(ctx, ctx.params.id, { errors: { file: e.message }, values: { ...values, section: "documents" } }, 422);
        throw e;
      }
      return ctx.redirect(`${gestion(ctx)}/${ctx.params.id}#documents`, "Le document est ajouté.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/ateliers/:id/documents/:docId/supprimer",
    summary: "Retirer un document d'un atelier",
    kind: "form",
    permission: PERMISSION,
    params: docParams,
    audit: "workshop_document",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => removeDocument(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.params.docId));
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${gestion(ctx)}/${ctx.params.id}#documents`, `Le document « ${r.value.title} » est retiré.`);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/ateliers",
    summary: "Ateliers du territoire (gestion)",
    kind: "page",
    permission: PERMISSION,
    params: slugParams,
    handler: async (ctx) => (
      <ManageWorkshopsPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} flash={ctx.flash} workshops={await listWorkshops(ctx.database.db, ctx.territory.id, { includeDrafts: true })} />
    ),
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/ateliers/nouveau",
    summary: "Programmer un atelier (formulaire)",
    kind: "form",
    permission: PERMISSION,
    params: slugParams,
    handler: (ctx) => renderNew(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/ateliers/nouveau",
    summary: "Programmer un atelier",
    kind: "form",
    permission: PERMISSION,
    params: slugParams,
    body: workshopForm,
    audit: "workshop",
    handler: async (ctx) => {
      const form = parseForm(workshopForm, ctx.req.body);
      if (!form.ok) return renderNew(ctx, form, 422);
      const checked = workshopInput(form.data);
      if ("errors" in checked) return renderNew(ctx, { values: formValues(ctx.req.body), errors: checked.errors }, 422);
      const r = await attempt(ctx, (tx) => createWorkshop(tx, ctx.audit, ctx.territory.id, checked.input));
      if ("errors" in r) return renderNew(ctx, { values: formValues(ctx.req.body), errors: r.errors }, 422);
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${gestion(ctx)}/${r.value.id}`, r.value.status === "draft" ? "L'atelier est enregistré comme brouillon." : "L'atelier est programmé et ouvert aux inscriptions.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/ateliers/:id",
    summary: "Un atelier (gestion) : inscriptions, présences, invitations, modification",
    kind: "page",
    permission: PERMISSION,
    params: idParams,
    handler: (ctx) => renderEdit(ctx, ctx.params.id),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/ateliers/:id",
    summary: "Modifier un atelier (les inscrits reçoivent l'invitation mise à jour)",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    body: workshopForm,
    audit: "workshop",
    handler: async (ctx) => {
      const form = parseForm(workshopForm, ctx.req.body);
      if (!form.ok) return renderEdit(ctx, ctx.params.id, form, 422);
      const checked = workshopInput(form.data);
      if ("errors" in checked) return renderEdit(ctx, ctx.params.id, { values: formValues(ctx.req.body), errors: checked.errors }, 422);
      const r = await attempt(ctx, (tx) => updateWorkshop(tx, ctx.audit, ctx.territory.id, ctx.params.id, checked.input));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("errors" in r) return renderEdit(ctx, ctx.params.id, { values: formValues(ctx.req.body), errors: r.errors }, 422);
      if ("conflict" in r) return renderEdit(ctx, ctx.params.id, { conflict: r.conflict }, 409);
      const { after, rescheduled, promoted } = r.value;
      let told = 0;
      if (rescheduled) {
        const people = (await registrationsOf(ctx.database.db, ctx.territory.id, after.id)).filter((x) => x.status === "confirmed" && !promoted.some((p) => p.userId === x.userId));
        told = await sendAll(mailEnv(ctx), territoryRef(ctx), after, people.map((x) => ({ userId: x.userId, kind: "rescheduled" as const })));
      }
      await sendAll(mailEnv(ctx), territoryRef(ctx), after, promoted.map((p) => ({ userId: p.userId, kind: "promoted" as const })));
      const parts = ["L'atelier est enregistré."];
      if (told) parts.push(`${told} personne${told > 1 ? "s" : ""} inscrite${told > 1 ? "s ont" : " a"} reçu l'invitation mise à jour.`);
      if (promoted.length) parts.push(`${promoted.length} personne${promoted.length > 1 ? "s passent" : " passe"} de la liste d'attente à une place confirmée.`);
      return ctx.redirect(`${gestion(ctx)}/${after.id}`, parts.join(" "));
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/ateliers/:id/annuler",
    summary: "Annuler un atelier (les inscrits sont prévenus, l'atelier quitte leur agenda)",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    audit: "workshop",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => cancelWorkshop(tx, ctx.audit, ctx.territory.id, ctx.params.id));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("conflict" in r) return renderEdit(ctx, ctx.params.id, { conflict: r.conflict }, 409);
      if (!("value" in r)) return renderEdit(ctx, ctx.params.id, { errors: r.errors }, 422);
      const told = await sendAll(mailEnv(ctx), territoryRef(ctx), r.value.workshop, r.value.people.map((x) => ({ userId: x.userId, kind: "workshop_cancelled" as const })));
      return ctx.redirect(`${gestion(ctx)}/${ctx.params.id}`, `L'atelier est annulé. ${told} personne${told > 1 ? "s ont" : " a"} été prévenue${told > 1 ? "s" : ""} par courriel.`);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/ateliers/:id/presences",
    summary: "Noter les présences à un atelier",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    body: attendanceForm,
    audit: "registration",
    handler: async (ctx) => {
      const form = parseForm(attendanceForm, ctx.req.body);
      if (!form.ok) return renderEdit(ctx, ctx.params.id, { errors: form.errors }, 422);
      const r = await attempt(ctx, (tx) => markAttendance(tx, ctx.audit, ctx.territory.id, ctx.params.id, form.data.attended));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("conflict" in r) return renderEdit(ctx, ctx.params.id, { conflict: r.conflict }, 409);
      if ("errors" in r) return renderEdit(ctx, ctx.params.id, { errors: r.errors }, 422);
      return ctx.redirect(`${gestion(ctx)}/${ctx.params.id}#inscrits`, r.value ? "Les présences sont enregistrées." : "Rien n'a changé.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/ateliers/:id/inviter",
    summary: "Inviter à un atelier les personnes qui souhaitent participer (courriel avec le lien et le fichier .ics)",
    kind: "form",
    permission: PERMISSION,
    params: idParams,
    body: inviteForm,
    audit: "workshop",
    handler: async (ctx) => {
      const form = parseForm(inviteForm, ctx.req.body);
      if (!form.ok) return renderEdit(ctx, ctx.params.id, { errors: form.errors }, 422);
      const wanted = [...new Set(form.data.userIds ?? [])];
      if (!wanted.length) return renderEdit(ctx, ctx.params.id, { errors: { userIds: "Cochez au moins une personne à inviter." } }, 422);
      const r = await attempt(ctx, async (tx) => {
        const w = await lockWorkshop(tx, ctx.territory.id, ctx.params.id);
        if (w.status === "draft") throw new ConflictError("Publiez l'atelier avant d'inviter : un brouillon n'a pas de page publique.");
        if (w.status !== "published") throw new ConflictError("On n'invite qu'à un atelier publié à venir.");
        const candidates = await inviteCandidates(tx, ctx.territory.id, w);
        const allowed = new Set(candidates.filter((c) => !c.optedOut).map((c) => c.userId));
        if (wanted.some((id) => !allowed.has(id))) throw new FormError({ userIds: "Cochez des personnes de la liste proposée." });
        await recordAudit(tx, ctx.audit, { territoryId: ctx.territory.id, action: "invite", entity: "workshop", entityId: w.id, after: { userIds: wanted } });
        return w;
      });
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("conflict" in r) return renderEdit(ctx, ctx.params.id, { conflict: r.conflict }, 409);
      if ("errors" in r) return renderEdit(ctx, ctx.params.id, { errors: r.errors }, 422);
      const sent = await sendAll(mailEnv(ctx), territoryRef(ctx), r.value, wanted.map((userId) => ({ userId, kind: "invitation" as const })));
      return ctx.redirect(`${gestion(ctx)}/${ctx.params.id}#inviter`, sent === 1 ? "1 invitation envoyée." : `${sent} invitations envoyées.`);
    },
  }),
];
