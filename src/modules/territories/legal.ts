// Default texts of the legal pages a French public site must have. A territory's team can replace
// each of them in the back-office (territory_pages); these say only what the platform knows.

export const LEGAL_PAGE_KEYS = ["mentions-legales", "accessibilite", "donnees-personnelles"] as const;
export type LegalKey = (typeof LEGAL_PAGE_KEYS)[number];

export const PAGE_TITLES: Record<string, string> = {
  presentation: "Présentation",
  "mentions-legales": "Mentions légales",
  accessibilite: "Déclaration d'accessibilité",
  "donnees-personnelles": "Données personnelles",
};

interface Ctx {
  territoryName: string;
  authorities: string[];
  contact?: { service: string; email: string | null; phone: string | null };
}

const contactLine = (c: Ctx) =>
  c.contact ? `${c.contact.service}${c.contact.email ? ` — ${c.contact.email}` : ""}${c.contact.phone ? ` — ${c.contact.phone}` : ""}` : "les coordonnées du service ne sont pas encore renseignées";

/** The default body of a legal page for a territory. */
export function defaultLegalText(key: LegalKey, c: Ctx): string {
  switch (key) {
    case "mentions-legales":
      return [
        `Ce site présente le Territoire d'industrie ${c.territoryName}, porté par ${c.authorities.join(" et ")}.`,
        `Contact : ${contactLine(c)}.`,
        "Hébergement : l'exploitant de cette instance de Collines n'a pas encore renseigné son hébergeur. Il le complète depuis l'espace de gestion (Pages du territoire).",
        "Réutilisation : les données publiées (plan d'actions, actions) sont diffusées sous Licence Ouverte 2.0 et disponibles par l'API ouverte et en CSV. Les contours des communes proviennent d'IGN Admin Express (Licence Ouverte), les populations de l'INSEE.",
      ].join("\n\n");
    case "accessibilite":
      return [
        `${c.authorities.join(" et ")} s'engagent à rendre ce site accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.`,
        "État de conformité : ce site est partiellement conforme au référentiel général d'amélioration de l'accessibilité (RGAA 4.1). Aucun audit complet n'a encore été réalisé par un organisme indépendant : nous ne pouvons donc pas déclarer de taux de conformité.",
        "Ce que nous vérifions : chaque page publique et chaque formulaire, y compris en erreur, est contrôlé automatiquement avec axe-core dans un navigateur (aucune erreur tolérée) ; les pages fonctionnent sans JavaScript et au clavier ; les cartes ont une alternative textuelle (liste des communes).",
        `Retour d'information et contact : si vous n'arrivez pas à accéder à un contenu ou à un service, contactez ${contactLine(c)} pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.`,
        "Voies de recours : si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez écrire au Défenseur des droits, contacter son délégué dans votre région, ou lui écrire gratuitement, sans affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
      ].join("\n\n");
    case "donnees-personnelles":
      return [
        "Le site public ne dépose aucun cookie de mesure d'audience ni de publicité : aucun consentement n'est donc demandé.",
        "Cookies strictement nécessaires : la session des personnes connectées (collines_session), la protection des formulaires contre la falsification de requêtes (collines_csrf), le message affiché après une action (collines_flash), le lien de connexion ou d'inscription reçu par courriel, qui ne fonctionne que dans le navigateur qui l'a demandé (collines_lien, 60 minutes au plus), et la connexion ProConnect en cours (collines_oidc, 10 minutes).",
        "Comptes de l'espace de gestion : nom, adresse électronique, mot de passe (conservé sous forme chiffrée irréversible, Argon2id), date de dernière connexion et navigateur de chaque session. Finalité : permettre aux équipes du territoire de gérer le plan d'actions. Base légale : mission d'intérêt public.",
        "Industriels qui s'inscrivent : nom, adresse électronique, entreprise, numéro SIRET facultatif et accord pour être contacté, conservés pour que le service développement économique confirme l'inscription et invite aux ateliers. Connexion par ProConnect : nom, prénom, adresse électronique et SIRET transmis par ProConnect.",
        "Sécurité : les tentatives de connexion échouées sont conservées un jour au plus, sous une forme qui ne permet pas de retrouver l'adresse électronique ou l'adresse IP, pour bloquer les attaques. Chaque modification est tracée (qui, quand, quoi) dans un journal d'audit.",
        "Membres des instances : les noms et fonctions des membres des comités publiés sont ceux que le territoire rend publics.",
        `Vos droits : vous pouvez accéder à vos données, les faire rectifier ou effacer, et vous opposer à leur traitement en écrivant à ${contactLine(c)}. Vous pouvez aussi adresser une réclamation à la CNIL.`,
      ].join("\n\n");
  }
}
