
import { z } from "zod";
import { defineRoute } from "../../core/http/registry.ts";
import { parseForm } from "../../core/forms/index.ts";
import { SESSION_COOKIE } from "../../core/auth/session.ts";
import { oneTimeTokens, platformSettings, sessions, signInAttempts } from "../../core/db/schema.ts";
import { lt, sql } from "drizzle-orm";
import { recordAudit } from "../../core/audit/index.ts";
import { ANONYMOUS } from "../../core/authz/index.ts";
import { defineJob, runJob } from "../../core/jobs/index.ts";
import { anonymiseUser, applyRetention, exportPersonalData, getRetention } from "./commands/privacy.ts";
import { CloseAccountPage, PlatformSettingsPage } from "./pages/privacy.tsx";

defineJob({
  name: "retention",
  lockKey: 730_001,
  everyMs: 24 * 3600_000,
  run: async (database) => `${await applyRetention(database.db, { actor: ANONYMOUS, role: "system" })} compte(s) inactif(s) fermé(s).`,
});

const closeSchema = z.object({
  email: z.string({ error: "Recopiez votre adresse électronique." }).trim().toLowerCase().min(1, { error: "Recopiez votre adresse électronique." }).max(254),
  confirm: z.literal("on", { error: "Cochez la case pour confirmer." }),
});

const settingsSchema = z.object({
  inactiveMonths: z
    .string()
    .trim()
    .max(4, { error: "Indiquez un nombre de mois entre 6 et 120." })
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine((v) => v === null || (Number.isInteger(v) && v >= 6 && v <= 120), { error: "Indiquez un nombre de mois entre 6 et 120." }),
});

/** RGPD: download one's data, close one's account; the platform admin sets the retention of inactive accounts. */
export const privacyRoutes = [
  defineRoute({
    method: "GET",
    url: "/compte/donnees.json",
    summary: "Télécharger mes données personnelles (JSON)",
    kind: "file",
    permission: "signed_in",
    handler: async (ctx) => {
      ctx.reply.header("content-disposition", 'attachment; filename="mes-donnees-collines.json"').header("content-type", "application/json; charset=utf-8");
      return JSON.stringify(await exportPersonalData(ctx.database.db, ctx.actor.user!.id), null, 2);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/compte/fermer",
    summary: "Fermer mon compte (confirmation)",
    kind: "form",
    permission: "signed_in",
    handler: (ctx) => <CloseAccountPage actor={ctx.actor} csrfToken={ctx.csrfToken()} />,
  }),
  defineRoute({
    method: "POST",
    url: "/compte/fermer",
    summary: "Fermer mon compte",
    kind: "form",
    permission: "signed_in",
    body: closeSchema,
    audit: "user",
    handler: async (ctx) => {
      const form = parseForm(closeSchema, ctx.req.body);
      const user = ctx.actor.user!;
      const errors = form.ok ? (form.data.email === user.email ? undefined : { email: "Cette adresse n'est pas celle de votre compte." }) : form.errors;
      if (errors) return ctx.render(<CloseAccountPage actor={ctx.actor} csrfToken={ctx.csrfToken()} errors={errors} values={form.ok ? { email: form.data.email } : form.values} />, 422);
      await ctx.database.db.transaction((tx) => anonymiseUser(tx, ctx.audit, user.id, "request"));
      ctx.reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return ctx.redirect("/", "Votre compte est fermé. Vos données personnelles ont été effacées.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/gestion/parametres",
    summary: "Paramètres de la plateforme",
    kind: "form",
    permission: "accounts.platform.manage",
    handler: async (ctx) => {
      const r = await getRetention(ctx.database.db);
      return <PlatformSettingsPage actor={ctx.actor} csrfToken={ctx.csrfToken()} values={{ inactiveMonths: r.inactiveMonths ? String(r.inactiveMonths) : "" }} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/gestion/parametres",
    summary: "Enregistrer les paramètres de la plateforme",
    kind: "form",
    permission: "accounts.platform.manage",
    body: settingsSchema,
    audit: "platform_setting",
    handler: async (ctx) => {
      const form = parseForm(settingsSchema, ctx.req.body);
      if (!form.ok) return ctx.render(<PlatformSettingsPage actor={ctx.actor} csrfToken={ctx.csrfToken()} errors={form.errors} values={form.values} />, 422);
      const value = { inactiveMonths: form.data.inactiveMonths };
      await ctx.database.db.transaction(async (tx) => {
        const before = await getRetention(tx as never);
        await tx.insert(platformSettings).values({ key: "retention", value }).onConflictDoUpdate({ target: platformSettings.key, set: { value, updatedAt: new Date() } });
        await recordAudit(tx, ctx.audit, { action: "update", entity: "platform_setting", entityId: "retention", before, after: value });
      });
      return ctx.redirect("/gestion/parametres", "Paramètres enregistrés.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/gestion/parametres/retention",
    summary: "Appliquer maintenant la durée de conservation des comptes inactifs",
    kind: "form",
    permission: "accounts.platform.manage",
    audit: "platform_setting",
    handler: async (ctx) => {
      const report = await runJob(ctx.database, "retention");
      // The run itself is a trace worth keeping, even when it closes no account.
      await ctx.database.db.transaction((tx) => recordAudit(tx, ctx.audit, { action: "state", entity: "platform_setting", entityId: "retention", after: { run: report } }));
      return ctx.redirect("/gestion/parametres", report);
    },
  }),
];


defineJob({
  name: "cleanup",
  lockKey: 730_002,
  everyMs: 3600_000,
  run: async (database) => {
    const db = database.db;
    const s = await db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`)).returning({ id: sessions.idHash });
    const a = await db.delete(signInAttempts).where(lt(signInAttempts.at, sql`now() - interval '1 day'`)).returning({ id: signInAttempts.id });
    const o = await db.delete(oneTimeTokens).where(lt(oneTimeTokens.expiresAt, sql`now() - interval '7 days'`)).returning({ id: oneTimeTokens.tokenHash });
    return `${s.length} session(s) expirée(s), ${a.length} tentative(s) de connexion et ${o.length} lien(s) périmé(s) supprimés.`;
  },
});
