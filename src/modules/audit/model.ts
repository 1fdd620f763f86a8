// How audit entries read in French.
import { STATUS_LABELS, statusLabel, VISIBILITY_LABELS, type ActionStatus, type Visibility } from "../plan/api.ts";
import { formatDateTime } from "../../core/i18n/format.ts";

export const ACTION_LABELS: Record<string, string> = {
  create: "Création",
  update: "Modification",
  delete: "Suppression",
  archive: "Archivage",
  restore: "Restauration",
  reorder: "Changement d'ordre",
  state: "Changement d'état",
  seed: "Chargement initial",
  invite: "Invitation",
  apply: "Application",
  import: "Import",
  upload: "Dépôt de fichier",
  withdraw: "Retrait",
};

export const ENTITY_LABELS: Record<string, string> = {
  territory: "Territoire",
  programme: "Programme national",
  theme: "Thématique",
  objective: "Objectif",
  action: "Action",
  territory_page: "Page du territoire",
  territory_contact: "Coordonnées",
  user: "Compte",
  membership: "Rôle",
  session: "Session",
  invitation: "Invitation",
  funder_grant: "Accès de financeur",
  agenda_item: "Point de l'ordre du jour",
  amendment: "Avenant",
  amendment_change: "Modification prévue par un avenant",
  decision: "Décision",
  governance_body: "Instance de gouvernance",
  governance_member: "Membre d'une instance",
  meeting: "Réunion",
  meeting_invitee: "Invité à une réunion",
  plan_version: "Version du plan",
  plan_import: "Import du plan",
  digest_preference: "Résumé hebdomadaire",
  company: "Entreprise",
  establishment: "Établissement",
  company_contact: "Contact d'entreprise",
  company_user: "Compte rattaché à une entreprise",
  sirene_import: "Import Sirene",
  import_run: "Import de données",
  observation: "Valeur d'indicateur",
  platform_setting: "Paramètre de la plateforme",
  proposal: "Proposition d'action",
  proposal_support: "Soutien à une proposition",
  proposal_comment: "Commentaire d'une proposition",
  question: "Question",
  notification_preferences: "Préférences de courriel",
  notification_preference: "Préférences de courriel",
  workshop: "Atelier",
  registration: "Inscription à un atelier",
  workshop_document: "Document d'un atelier",
  interest: "Souhait de participation",
};

const MEMBERSHIP_STATUS: Record<string, string> = { active: "actif", pending: "en attente de confirmation" };
/** States of proposals and questions (participation). */
const PARTICIPATION_STATUS: Record<string, string> = {
  submitted: "déposée",
  under_review: "à l'examen",
  accepted: "acceptée",
  rejected: "non retenue",
  merged: "regroupée",
  new: "nouvelle",
  assigned: "attribuée",
  answered: "répondue",
  closed: "close",
  // Workshops and their registrations.
  draft: "brouillon",
  published: "publié",
  cancelled: "annulé",
  held: "tenu",
  confirmed: "confirmée",
  waitlisted: "sur liste d'attente",
};
const ROLE_VALUES: Record<string, string> = {
  territory_admin: "administrateur du territoire",
  agent: "agent",
  committee_member: "membre de comité",
  industrialist: "industriel",
  funder: "financeur",
};

const FIELD_LABELS: Record<string, string> = {
  title: "Titre",
  code: "Code",
  description: "Description",
  status: "Statut",
  visibility: "Visibilité",
  number: "Numéro",
  joint: "Partenariat ◆",
  leadAuthorityId: "Porteur",
  objectiveId: "Objectif",
  themeId: "Thématique",
  communeCode: "Commune",
  partners: "Partenaires",
  archivedAt: "Archivée le",
  position: "Ordre",
  body: "Texte",
  key: "Page",
  service: "Service",
  phone: "Téléphone",
  email: "Courriel",
  address: "Adresse",
  displayName: "Nom",
  role: "Rôle",
  password: "Mot de passe",
  isPlatformAdmin: "Administrateur de la plateforme",
  authorityId: "Intercommunalité",
  regionCode: "Région",
  territoryId: "Territoire",
  label: "Libellé",
  userId: "Compte",
  inactiveMonths: "Conservation (mois)",
  run: "Exécution",
  closed: "Fermeture",
  slug: "Adresse",
  name: "Nom",
  siret: "SIRET",
  company: "Entreprise",
  problem: "Problème constaté",
  proposedAction: "Action proposée",
  expectedPartners: "Partenaires pressentis",
  roughBudgetEuros: "Budget estimé (€)",
  answer: "Réponse",
  score: "Note sur 20",
  criteria: "Critères remplis",
  actionId: "Action",
  decisionId: "Décision",
  mergedIntoId: "Regroupée avec la proposition",
  proposalId: "Proposition",
  hiddenAt: "Masqué le",
  assigneeId: "Attribuée à (compte)",
  subject: "Objet",
  faqQuestion: "Question publiée",
  faqPublishedAt: "Publiée dans la FAQ le",
  proposalEmails: "Courriels sur les propositions",
  // Workshops (participation).
  startsAt: "Début",
  endsAt: "Fin",
  place: "Lieu",
  videoUrl: "Visioconférence",
  capacity: "Places",
  registrationOpensAt: "Ouverture des inscriptions",
  registrationClosesAt: "Clôture des inscriptions",
  minutes: "Compte rendu",
  actionIds: "Actions liées",
  workshopId: "Atelier",
  attended: "Présent",
  promoted: "Promu de la liste d'attente",
  userIds: "Personnes invitées (comptes)",
  workshopEmails: "Rappels et invitations aux ateliers",
  monthlyDigest: "Lettre mensuelle",
  themeIds: "Thématiques",
  days: "Jours",
  frequency: "Fréquence",
  format: "Format",
  // The action sheet (plan module).
  pilots: "Pilotes",
  referentElu: "Élu référent",
  priority: "Priorité",
  tags: "Mots-clés",
  startDate: "Début",
  plannedEndDate: "Fin prévue",
  progressMode: "Calcul de l'avancement",
  progressManual: "Avancement saisi (%)",
  milestone: "Jalon",
  milestones: "Ordre des jalons",
  dueDate: "Échéance",
  doneDate: "Réalisé le",
  comment: "Commentaire",
  budget: "Coût prévisionnel",
  amount: "Montant",
  financing: "Financement",
  funderKind: "Type de financeur",
  funderName: "Financeur",
  requested: "Demandé",
  granted: "Accordé",
  paid: "Versé",
  note: "Note de suivi",
  document: "Document",
  link: "Action liée",
  kind: "Nature",
  indicator: "Indicateur",
  geoLevel: "Échelle",
  geoCode: "Série",
  baselineValue: "Valeur de référence",
  baselineDate: "Date de référence",
  target: "Cible au",
  value: "Valeur",
  period: "Date de la mesure",
  source: "Source",
};

export const fieldLabel = (key: string) => FIELD_LABELS[key] ?? key;
export const actionLabel = (a: string) => ACTION_LABELS[a] ?? a;
export const entityLabel = (e: string) => ENTITY_LABELS[e] ?? e;

/** A value as a person reads it in a history (long texts shortened). */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined || v === "") return "(vide)";
  if (typeof v === "boolean") return v ? "oui" : "non";
  if (Array.isArray(v)) return v.map(displayValue).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  const s = String(v);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

/** The changed fields of an entry: [field, before, after] (creations list their values). */
export function changes(before: unknown, after: unknown): [string, string, string][] {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const show = (k: string, v: unknown) => {
    // Coded values read as their French labels.
    if (k === "status" && (v == null || (typeof v === "string" && v in STATUS_LABELS))) return statusLabel((v ?? null) as ActionStatus | null);
    if (k === "status" && typeof v === "string" && v in MEMBERSHIP_STATUS) return MEMBERSHIP_STATUS[v];
    if (k === "status" && typeof v === "string" && v in PARTICIPATION_STATUS) return PARTICIPATION_STATUS[v];
    if (k === "role" && typeof v === "string" && v in ROLE_VALUES) return ROLE_VALUES[v];
    if (k === "visibility" && typeof v === "string") return VISIBILITY_LABELS[v as Visibility] ?? v;
    // Instants (JSON dates) read in Paris time.
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)) return formatDateTime(new Date(v));
    return displayValue(v);
  };
  return keys.map((k) => [fieldLabel(k), k in b ? show(k, b[k]) : "", k in a ? show(k, a[k]) : ""]);
}
