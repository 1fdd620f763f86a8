import type { Actor } from "../../../core/authz/index.ts";
import { CheckboxField, Form } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";

const WHAT =
  "Chaque lundi matin, les pilotes d’actions reçoivent par courriel leurs jalons en retard ou prévus dans les 14 jours et les notes de suivi ajoutées dans la semaine sur leurs actions.";

export function DigestPreferencePage(p: { actor: Actor; csrfToken: string; enabled: boolean; flash?: string }) {
  return (
    <Layout
      title="Résumé hebdomadaire"
      actor={p.actor}
      csrfToken={p.csrfToken}
      flash={p.flash}
      breadcrumbs={[
        { label: "Mon compte", href: "/compte" },
        { label: "Résumé hebdomadaire", href: "" },
      ]}
    >
      <h1>Résumé hebdomadaire des actions que vous pilotez</h1>
      <p>{WHAT}</p>
      <p>
        Actuellement : <strong>{p.enabled ? "vous le recevez" : "vous ne le recevez pas"}</strong>.
      </p>
      <Form action="/compte/resume-hebdomadaire" csrfToken={p.csrfToken} class="narrow">
        <CheckboxField name="weeklyDigest" label="Recevoir le résumé hebdomadaire" values={p.enabled ? { weeklyDigest: "on" } : {}} required />
        <p class="form-actions">
          <button type="submit" class="button">
            Enregistrer
          </button>
        </p>
      </Form>
      <p>
        <a href="/compte">Retour à mon compte</a>
      </p>
    </Layout>
  );
}

export function UnsubscribePage(p: { actor: Actor; csrfToken: string; token: string; enabled: boolean; flash?: string }) {
  return (
    <Layout title="Se désabonner du résumé hebdomadaire" actor={p.actor} csrfToken={p.csrfToken} flash={p.flash}>
      <h1>Se désabonner du résumé hebdomadaire</h1>
      <p>{WHAT}</p>
      {p.enabled ? (
        <Form action={`/resume-hebdomadaire/desabonnement/${p.token}`} csrfToken={p.csrfToken}>
          <p class="form-actions">
            <button type="submit" class="button">
              Ne plus recevoir le résumé hebdomadaire
            </button>
          </p>
        </Form>
      ) : (
        <p>
          <strong>Vous ne recevez plus le résumé hebdomadaire.</strong> Vous pouvez le réactiver à tout moment depuis <a href="/compte/resume-hebdomadaire">votre compte</a>.
        </p>
      )}
    </Layout>
  );
}
