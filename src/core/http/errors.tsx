import type { Actor } from "../authz/index.ts";
import { Layout } from "../ui/layout.tsx";

const MESSAGES: Record<number, { title: string; text: string }> = {
  400: { title: "Requête invalide", text: "La demande contient des paramètres que nous ne comprenons pas. Vérifiez l'adresse ou le formulaire." },
  403: { title: "Accès refusé", text: "Vous n'avez pas les droits nécessaires pour accéder à cette page ou effectuer cette action." },
  404: { title: "Page introuvable", text: "La page que vous cherchez n'existe pas ou a été déplacée. Vérifiez l'adresse, ou revenez à l'accueil." },
  405: { title: "Méthode non autorisée", text: "Cette adresse ne répond pas à ce type de demande." },
  409: { title: "Conflit", text: "Cette modification entre en conflit avec une autre. Rechargez la page et recommencez." },
  413: { title: "Contenu trop volumineux", text: "Les données envoyées dépassent la taille autorisée." },
  415: { title: "Format non pris en charge", text: "Le format des données envoyées n'est pas accepté." },
  429: { title: "Trop de demandes", text: "Vous avez fait trop de demandes en peu de temps. Patientez quelques minutes puis réessayez." },
  500: { title: "Erreur du serveur", text: "Une erreur inattendue s'est produite. L'équipe technique en a été informée ; réessayez plus tard." },
  503: { title: "Service momentanément indisponible", text: "Le service est surchargé ou en maintenance. Réessayez dans quelques instants." },
};

/** The French title of an HTTP error status. */
export function errorTitle(status: number): string {
  return (MESSAGES[status] ?? MESSAGES[500]).title;
}

/** The French explanation of an HTTP error status. */
export function errorText(status: number): string {
  return (MESSAGES[status] ?? MESSAGES[500]).text;
}

/** An error page: what happened, in French, and where to go next. */
export function ErrorPage({ status, actor, detail, requestId }: { status: number; actor: Actor; detail?: string; requestId?: string }) {
  return (
    <Layout title={errorTitle(status)} actor={actor}>
      <h1>{errorTitle(status)}</h1>
      <p>{detail ?? errorText(status)}</p>
      {status === 403 && !actor.user ? (
        <p>
          <a href="/connexion">Se connecter</a>
        </p>
      ) : null}
      <p>
        <a href="/">Revenir à l'accueil</a>
      </p>
      {requestId && status >= 500 ? <p class="hint">Référence de l'incident : {requestId}</p> : null}
    </Layout>
  );
}
