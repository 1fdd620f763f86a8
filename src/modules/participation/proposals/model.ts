// Pure rules of proposals of actions: states, the transitions allowed between them, the
// evaluation criteria. No I/O here.

export const PROPOSAL_STATES = ["submitted", "under_review", "accepted", "rejected", "merged"] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const PROPOSAL_STATE_LABELS: Record<ProposalState, string> = {
  submitted: "Déposée",
  under_review: "À l'examen",
  accepted: "Acceptée",
  rejected: "Non retenue",
  merged: "Regroupée",
};

/** The decisions that close a proposal (recorded by the staff after the committee). */
export const DECISIONS = ["accepted", "rejected", "merged"] as const;
export type Decision = (typeof DECISIONS)[number];

export const DECISION_LABELS: Record<Decision, string> = {
  accepted: "Acceptée : elle devient une action du plan (brouillon)",
  rejected: "Non retenue",
  merged: "Regroupée avec une autre proposition",
};

/** The evaluation checklist: each criterion the committee checks. */
export const CRITERIA = [
  { key: "theme", label: "S'inscrit dans une thématique du plan" },
  { key: "demand", label: "Répond à une demande des industriels" },
  { key: "feasible", label: "Réalisable par les acteurs du territoire" },
  { key: "budget", label: "Budget réaliste et finançable" },
  { key: "partners", label: "Partenaires identifiés et mobilisables" },
] as const;
export type CriterionKey = (typeof CRITERIA)[number]["key"];
export const CRITERION_KEYS = CRITERIA.map((c) => c.key) as unknown as readonly [CriterionKey, ...CriterionKey[]];
export const criterionLabel = (key: string) => CRITERIA.find((c) => c.key === key)?.label ?? key;

/** Final states: nothing changes a proposal once decided. */
export const isFinal = (s: ProposalState) => s === "accepted" || s === "rejected" || s === "merged";

const FINAL_MESSAGES: Record<"accepted" | "rejected" | "merged", string> = {
  accepted: "Cette proposition a déjà été acceptée : la décision est définitive.",
  rejected: "Cette proposition n'a pas été retenue : la décision est définitive, elle ne peut plus changer d'état.",
  merged: "Cette proposition a été regroupée avec une autre : la décision est définitive.",
};

/**
 * Why a proposal may not go from `from` to `to` (a French message), or null when it may:
 * submitted → under_review → accepted / rejected / merged; decided proposals never change.
 */
export function transitionRefusal(from: ProposalState, to: ProposalState): string | null {
  if (isFinal(from)) return FINAL_MESSAGES[from];
  if (from === "submitted") {
    if (to === "under_review") return null;
    if (to === "submitted") return "Cette proposition est déjà déposée.";
    return "Mettez d'abord la proposition à l'examen : une décision suit son évaluation.";
  }
  // under_review
  if (to === "under_review") return "Cette proposition est déjà à l'examen.";
  if (to === "submitted") return "Une proposition à l'examen ne revient pas à l'état déposé.";
  return null;
}

/** Whether the evaluation (criteria, score, answer) may still be written. */
export function evaluationRefusal(state: ProposalState): string | null {
  if (state === "submitted") return "Mettez d'abord la proposition à l'examen avant de l'évaluer.";
  if (isFinal(state)) return FINAL_MESSAGES[state];
  return null;
}

/** A proposal may be merged into another of the territory that is still alive (not rejected, not merged itself). */
export function mergeTargetRefusal(sourceId: number, target: { id: number; status: ProposalState } | undefined): string | null {
  if (!target) return "Choisissez la proposition avec laquelle la regrouper, parmi celles du territoire.";
  if (target.id === sourceId) return "Une proposition ne peut pas être regroupée avec elle-même.";
  if (target.status === "rejected" || target.status === "merged") return "Cette proposition n'est plus ouverte : choisissez-en une déposée, à l'examen ou acceptée.";
  return null;
}

/** A rough budget in euros, for humans: « 15 000 € ». */
export function formatEuros(n: number | null | undefined): string {
  if (n == null) return "Non précisé";
  return `${new Intl.NumberFormat("fr-FR").format(n)} €`;
}
