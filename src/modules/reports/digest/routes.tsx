import { z } from "zod";
import { recordAudit } from "../../../core/audit/index.ts";
import { defineRoute, type RouteDef } from "../../../core/http/registry.ts";
import { ErrorPage } from "../../../core/http/errors.tsx";
import { checkbox, parseForm } from "../../../core/forms/index.ts";
import { digestEnabled, setDigestEnabled, verifyUnsubscribeToken } from "./digest.ts";
import { DigestPreferencePage, UnsubscribePage } from "./pages.tsx";

const tokenParams = z.object({ token: z.string().max(64) });
const preferenceForm = z.object({ weeklyDigest: checkbox });

const INVALID = "Ce lien de désabonnement n’est pas valide. Vous pouvez régler vos courriels depuis « Mon compte », après connexion.";

export const digestRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/compte/resume-hebdomadaire",
    summary: "Mon compte : recevoir ou non le résumé hebdomadaire des actions que l'on pilote",
    kind: "page",
    permission: "signed_in",
    handler: async (ctx) => (
      <DigestPreferencePage actor={ctx.actor} csrfToken={ctx.csrfToken()} enabled={await digestEnabled(ctx.database.db, ctx.actor.user!.id)} flash={ctx.flash} />
    ),
  }),
  defineRoute({
    method: "POST",
    url: "/compte/resume-hebdomadaire",
    summary: "Recevoir ou non le résumé hebdomadaire",
    kind: "form",
    permission: "signed_in",
    body: preferenceForm,
    audit: "digest_preference",
    handler: async (ctx) => {
      const form = parseForm(preferenceForm, ctx.req.body);
      const enabled = form.ok ? form.data.weeklyDigest : false;
      const userId = ctx.actor.user!.id;
      await ctx.database.db.transaction(async (tx) => {
        const changed = await setDigestEnabled(tx, userId, enabled);
        await recordAudit(tx, ctx.audit, { action: "update", entity: "digest_preference", entityId: userId, after: { weeklyDigest: enabled, changed } });
      });
      return ctx.redirect("/compte/resume-hebdomadaire", enabled ? "Vous recevrez le résumé hebdomadaire." : "Vous ne recevrez plus le résumé hebdomadaire.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/resume-hebdomadaire/desabonnement/:token",
    summary: "Se désabonner du résumé hebdomadaire depuis le lien du courriel, sans se connecter",
    kind: "page",
    permission: "public",
    params: tokenParams,
    handler: async (ctx) => {
      const userId = await verifyUnsubscribeToken(ctx.database.db, ctx.params.token);
      if (userId === null) return ctx.render(<ErrorPage status={404} actor={ctx.actor} detail={INVALID} />, 404);
      return <UnsubscribePage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={ctx.params.token} enabled={await digestEnabled(ctx.database.db, userId)} flash={ctx.flash} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/resume-hebdomadaire/desabonnement/:token",
    summary: "Confirmer le désabonnement du résumé hebdomadaire",
    kind: "form",
    permission: "public",
    params: tokenParams,
    audit: "digest_preference",
    handler: async (ctx) => {
      const userId = await verifyUnsubscribeToken(ctx.database.db, ctx.params.token);
      if (userId === null) return ctx.render(<ErrorPage status={404} actor={ctx.actor} detail={INVALID} />, 404);
      await ctx.database.db.transaction(async (tx) => {
        const changed = await setDigestEnabled(tx, userId, false);
        await recordAudit(tx, { ...ctx.audit, role: "unsubscribe_link" }, { action: "update", entity: "digest_preference", entityId: userId, after: { weeklyDigest: false, changed } });
      });
      return ctx.redirect(`/resume-hebdomadaire/desabonnement/${ctx.params.token}`, "C’est fait : vous ne recevrez plus le résumé hebdomadaire.");
    },
  }),
];
