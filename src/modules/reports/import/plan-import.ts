// Importing a plan from an XLSX or CSV spreadsheet: read by header name, every cell checked with
// its row and column named in French, nothing written unless the whole file is valid; then themes,
// objectives and actions (updated by N°) are created or changed in one transaction, audited.
import { and, asc, eq, max } from "drizzle-orm";
import { diff, recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Db, Tx } from "../../../core/db/client.ts";
import {
  cellBoolean,
  cellDate,
  cellNumber,
  cellText,
  columnLetter,
  formatSpreadsheetError,
  normalizeHeader,
  readSpreadsheet,
  writeWorkbook,
  type SpreadsheetColumnSpec,
  type SpreadsheetError,
  type SpreadsheetValue,
} from "../../../core/formats/xlsx.ts";
import { toCsv } from "../../../core/formats/csv.ts";
import { territoryAuthorities } from "../../territories/api.ts";
import { actionPartners, actions, objectives, parseTags, PRIORITY_LABELS, statusChanges, STATUS_LABELS, themes, type ActionStatus } from "../../plan/api.ts";

export const IMPORT_COLUMNS = [
  { name: "Thématique", required: true, aliases: ["Thematique", "Thème", "Axe"], help: "Titre de la thématique ; créée si elle n’existe pas encore." },
  { name: "Objectif", required: true, aliases: ["Objectifs"], help: "Titre de l’objectif dans cette thématique ; créé s’il n’existe pas encore." },
  { name: "N°", aliases: ["No", "Numéro", "Numero", "N"], help: "Numéro de l’action (1 à 999) : une action existante de ce numéro est mise à jour ; vide, l’action reçoit le numéro suivant." },
  { name: "Action", required: true, aliases: ["Titre", "Intitulé", "Titre de l'action"], help: "Titre de l’action (300 caractères au plus)." },
  { name: "Description", help: "Texte libre." },
  { name: "Statut", help: "À venir, En cours, Réalisée, En pause ou Abandonnée ; vide : statut non renseigné." },
  { name: "Porteur", help: "SIREN ou nom d’une intercommunalité du territoire." },
  { name: "Partenariat ◆", aliases: ["Partenariat", "◆"], help: "oui ou non : action conduite avec l’autre intercommunalité du territoire." },
  { name: "Date de début", aliases: ["Début"], help: "Date JJ/MM/AAAA." },
  { name: "Date de fin prévue", aliases: ["Fin prévue", "Date de fin"], help: "Date JJ/MM/AAAA, après la date de début." },
  { name: "Priorité", aliases: ["Priorite"], help: "Haute, Normale ou Basse (Normale si vide)." },
  { name: "Étiquettes", aliases: ["Etiquettes", "Mots-clés"], help: "Séparées par des virgules." },
  { name: "Élu référent", aliases: ["Elu référent", "Élu"], help: "Nom de l’élu référent." },
  { name: "Visibilité", aliases: ["Visibilite"], help: "Publiée, Confidentielle ou Brouillon (Publiée si vide pour une nouvelle action)." },
] as const satisfies readonly (SpreadsheetColumnSpec & { help: string })[];

type ColumnName = (typeof IMPORT_COLUMNS)[number]["name"];

export const MAX_IMPORT_ROWS = 2000;

const STATUS_BY_NAME = new Map<string, ActionStatus>(
  (Object.entries(STATUS_LABELS) as [ActionStatus, string][]).flatMap(([k, v]) => [
    [normalizeHeader(v), k],
    [normalizeHeader(k), k],
  ]),
);
for (const [alias, k] of [["a venir", "planned"], ["prevue", "planned"], ["terminee", "done"], ["realise", "done"], ["abandonne", "abandoned"], ["suspendue", "paused"]] as const) STATUS_BY_NAME.set(alias, k);
const PRIORITY_BY_NAME = new Map<string, "high" | "normal" | "low">((Object.entries(PRIORITY_LABELS) as ["high" | "normal" | "low", string][]).map(([k, v]) => [normalizeHeader(v), k]));
const VISIBILITY_BY_NAME = new Map<string, "published" | "confidential" | "draft">([
  ["publiee", "published"],
  ["publie", "published"],
  ["confidentielle", "confidential"],
  ["confidentiel", "confidential"],
  ["brouillon", "draft"],
]);

/** One valid row of the file, ready to be written. */
export interface ImportRow {
  line: number;
  theme: string;
  objective: string;
  number: number | null;
  title: string;
  /** Only the columns present in the file are set (an absent column changes nothing). */
  fields: {
    description?: string | null;
    status?: ActionStatus | null;
    leadAuthorityId?: number | null;
    joint?: boolean;
    startDate?: string | null;
    plannedEndDate?: string | null;
    priority?: "high" | "normal" | "low";
    tags?: string[];
    referentElu?: string | null;
    visibility?: "published" | "confidential" | "draft";
  };
}

/** What the import will do, shown before it is confirmed. */
export interface ImportPlan {
  rows: ImportRow[];
  themesCreated: string[];
  objectivesCreated: { theme: string; objective: string }[];
  actionsCreated: { number: number; title: string }[];
  actionsUpdated: { number: number; title: string; fields: string[] }[];
  actionsUnchanged: number;
}

export interface ImportCheck {
  errors: SpreadsheetError[];
  plan: ImportPlan | null;
}

const FIELD_LABELS: Record<string, string> = {
  title: "titre",
  objectiveId: "objectif",
  description: "description",
  status: "statut",
  leadAuthorityId: "porteur",
  joint: "partenariat ◆",
  startDate: "date de début",
  plannedEndDate: "date de fin prévue",
  priority: "priorité",
  tags: "étiquettes",
  referentElu: "élu référent",
  visibility: "visibilité",
};

interface TerritoryState {
  themes: { id: number; title: string; code: string; archived: boolean }[];
  objectives: { id: number; themeId: number; title: string; archived: boolean }[];
  actions: (typeof actions.$inferSelect)[];
  authorities: { id: number; siren: string; name: string; shortName: string | null }[];
}

async function loadState(db: Db | Tx, territoryId: number): Promise<TerritoryState> {
  const [t, o, a, auth] = await Promise.all([
    db.select().from(themes).where(eq(themes.territoryId, territoryId)).orderBy(asc(themes.position), asc(themes.id)),
    db.select().from(objectives).where(eq(objectives.territoryId, territoryId)).orderBy(asc(objectives.position), asc(objectives.id)),
    db.select().from(actions).where(eq(actions.territoryId, territoryId)),
    db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId)).orderBy(asc(territoryAuthorities.position)),
  ]);
  return {
    themes: t.map((x) => ({ id: x.id, title: x.title, code: x.code, archived: x.archivedAt !== null })),
    objectives: o.map((x) => ({ id: x.id, themeId: x.themeId, title: x.title, archived: x.archivedAt !== null })),
    actions: a,
    authorities: auth.map((x) => ({ id: x.id, siren: x.siren, name: x.name, shortName: x.shortName })),
  };
}

const same = (a: string, b: string) => normalizeHeader(a) === normalizeHeader(b) && a.trim().toLocaleLowerCase("fr") === b.trim().toLocaleLowerCase("fr");
const liveTheme = (s: TerritoryState, title: string) => s.themes.find((t) => !t.archived && same(t.title, title));
const liveObjective = (s: TerritoryState, themeId: number, title: string) => s.objectives.find((o) => !o.archived && o.themeId === themeId && same(o.title, title));

/** Reads and checks a file against the territory's plan; errors name their row and column. */
export async function checkImport(db: Db | Tx, territoryId: number, data: Uint8Array, filename: string): Promise<ImportCheck> {
  const table = await readSpreadsheet(data, { filename, columns: [...IMPORT_COLUMNS], maxRows: MAX_IMPORT_ROWS });
  const errors = [...table.errors];
  if (errors.some((e) => e.row <= 1)) return { errors, plan: null };
  if (!table.rows.length) return { errors: [{ row: 0, message: "le fichier ne contient aucune action sous la ligne d’en-tête" }], plan: null };
  const state = await loadState(db, territoryId);
  const present = new Set(Object.keys(table.rows[0]?.columns ?? {}));
  const rows: ImportRow[] = [];
  const seenNumbers = new Map<number, number>();
  for (const r of table.rows) {
    const err = (col: ColumnName, message: string) => errors.push({ row: r.line, column: r.columns[col], header: col, message });
    const v = (col: ColumnName): SpreadsheetValue => r.values[col] ?? null;
    const text = (col: ColumnName, maxLen: number, required = false): string | null => {
      const s = cellText(v(col));
      if (s === null) {
        if (required) err(col, "valeur obligatoire manquante");
        return null;
      }
      if (s.length > maxLen) err(col, `${s.length} caractères ; ${maxLen} au plus`);
      return s;
    };
    const theme = text("Thématique", 200, true);
    const objective = text("Objectif", 300, true);
    const title = text("Action", 300, true);
    let number: number | null = null;
    const rawNumber = v("N°");
    if (rawNumber !== null) {
      const n = cellNumber(rawNumber);
      if (n === undefined || n === null || !Number.isInteger(n) || n < 1 || n > 999) err("N°", `« ${cellText(rawNumber)} » n’est pas un numéro d’action (nombre entier de 1 à 999)`);
      else if (seenNumbers.has(n)) err("N°", `le numéro ${n} figure déjà ligne ${seenNumbers.get(n)}`);
      else {
        number = n;
        seenNumbers.set(n, r.line);
        const existing = state.actions.find((a) => a.number === n);
        if (existing?.archivedAt) err("N°", `l’action n° ${n} est archivée : restaurez-la dans la gestion du plan avant de l’importer`);
      }
    }
    // An empty cell leaves an existing action's value as it is (a new action gets the default).
    const isUpdate = number !== null && state.actions.some((a) => a.number === number);
    const has = (col: ColumnName) => present.has(col) && !(isUpdate && cellText(v(col)) === null);
    const fields: ImportRow["fields"] = {};
    if (has("Description")) fields.description = text("Description", 10000);
    if (has("Statut")) {
      const s = cellText(v("Statut"));
      if (s === null) fields.status = null;
      else {
        const status = STATUS_BY_NAME.get(normalizeHeader(s));
        if (status) fields.status = status;
        else err("Statut", `statut inconnu « ${s} » ; valeurs possibles : ${Object.values(STATUS_LABELS).join(", ")} (ou vide)`);
      }
    }
    if (has("Porteur")) {
      const s = cellText(v("Porteur"));
      if (s === null) fields.leadAuthorityId = null;
      else {
        const digits = s.replace(/\s/g, "");
        const found = /^\d{9}$/.test(digits) ? state.authorities.find((a) => a.siren === digits) : state.authorities.find((a) => same(a.name, s) || (a.shortName !== null && same(a.shortName, s)));
        if (found) fields.leadAuthorityId = found.id;
        else err("Porteur", `« ${s} » n’est pas une intercommunalité du territoire ; indiquez le SIREN ou le nom de : ${state.authorities.map((a) => `${a.name} (${a.siren})`).join(", ")}`);
      }
    }
    if (has("Partenariat ◆")) {
      const b = cellBoolean(v("Partenariat ◆"));
      if (b === undefined) err("Partenariat ◆", `« ${cellText(v("Partenariat ◆"))} » : indiquez oui ou non`);
      else fields.joint = b ?? false;
    }
    for (const [col, key] of [
      ["Date de début", "startDate"],
      ["Date de fin prévue", "plannedEndDate"],
    ] as const) {
      if (!has(col)) continue;
      const d = cellDate(v(col));
      if (d === undefined) err(col, `« ${cellText(v(col))} » n’est pas une date valide (JJ/MM/AAAA)`);
      else fields[key] = d;
    }
    if (fields.startDate && fields.plannedEndDate && fields.plannedEndDate < fields.startDate) err("Date de fin prévue", "la date de fin prévue précède la date de début");
    if (has("Priorité")) {
      const s = cellText(v("Priorité"));
      const p = s === null ? "normal" : PRIORITY_BY_NAME.get(normalizeHeader(s));
      if (p) fields.priority = p;
      else err("Priorité", `priorité inconnue « ${s} » ; valeurs possibles : Haute, Normale, Basse`);
    }
    if (has("Étiquettes")) fields.tags = parseTags(cellText(v("Étiquettes")) ?? "");
    if (has("Élu référent")) fields.referentElu = text("Élu référent", 200);
    if (has("Visibilité")) {
      const s = cellText(v("Visibilité"));
      if (s !== null) {
        const vis = VISIBILITY_BY_NAME.get(normalizeHeader(s));
        if (vis) fields.visibility = vis;
        else err("Visibilité", `visibilité inconnue « ${s} » ; valeurs possibles : Publiée, Confidentielle, Brouillon`);
      }
    }
    if (theme && objective && title) rows.push({ line: r.line, theme, objective, number, title, fields });
  }
  if (errors.length) return { errors: errors.sort((a, b) => a.row - b.row || (a.column ?? "").localeCompare(b.column ?? "")), plan: null };
  return { errors: [], plan: planChanges(state, rows) };
}

/** What writing these rows would change. */
function planChanges(state: TerritoryState, rows: ImportRow[]): ImportPlan {
  const themesCreated: string[] = [];
  const objectivesCreated: { theme: string; objective: string }[] = [];
  const actionsCreated: { number: number; title: string }[] = [];
  const actionsUpdated: { number: number; title: string; fields: string[] }[] = [];
  let unchanged = 0;
  const newThemes = new Set<string>();
  const newObjectives = new Set<string>();
  let next = state.actions.reduce((m, a) => Math.max(m, a.number), 0);
  const fileNumbers = new Set(rows.flatMap((r) => (r.number ? [r.number] : [])));
  for (const r of rows) {
    const theme = liveTheme(state, r.theme);
    const tKey = normalizeHeader(r.theme);
    if (!theme && !newThemes.has(tKey)) {
      newThemes.add(tKey);
      themesCreated.push(r.theme);
    }
    const objective = theme ? liveObjective(state, theme.id, r.objective) : undefined;
    const oKey = `${tKey}|${normalizeHeader(r.objective)}`;
    if (!objective && !newObjectives.has(oKey)) {
      newObjectives.add(oKey);
      objectivesCreated.push({ theme: r.theme, objective: r.objective });
    }
    const existing = r.number ? state.actions.find((a) => a.number === r.number) : undefined;
    if (!existing) {
      if (!r.number) {
        do next++;
        while (fileNumbers.has(next) || state.actions.some((a) => a.number === next));
      }
      actionsCreated.push({ number: r.number ?? next, title: r.title });
      continue;
    }
    const changed = Object.keys(diff(existing as unknown as Record<string, unknown>, { title: r.title, ...(objective ? { objectiveId: objective.id } : { objectiveId: -1 }), ...r.fields })?.after ?? {});
    if (changed.length) actionsUpdated.push({ number: existing.number, title: r.title, fields: changed.map((f) => FIELD_LABELS[f] ?? f) });
    else unchanged++;
  }
  return { rows, themesCreated, objectivesCreated, actionsCreated, actionsUpdated, actionsUnchanged: unchanged };
}

function themeCode(title: string, taken: Set<string>): string {
  const base =
    title
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toUpperCase()
      .split(/[^A-Z0-9]+/)
      .filter((w) => w.length > 2)[0]
      ?.slice(0, 24) || "THEME";
  let code = base;
  for (let i = 2; taken.has(code); i++) code = `${base}-${i}`;
  taken.add(code);
  return code;
}

export interface ImportResult {
  themesCreated: number;
  objectivesCreated: number;
  actionsCreated: number;
  actionsUpdated: number;
}

/**
 * Writes the checked rows in the caller's transaction (re-checked against the state it reads), each
 * change audited. Throws ImportInvalid when the plan changed meanwhile and the rows no longer fit.
 */
export async function applyImport(tx: Tx, territoryId: number, rows: ImportRow[], audit: AuditContext): Promise<ImportResult> {
  const state = await loadState(tx, territoryId);
  const result: ImportResult = { themesCreated: 0, objectivesCreated: 0, actionsCreated: 0, actionsUpdated: 0 };
  const codes = new Set(state.themes.map((t) => t.code));
  const maxPos = async (table: typeof themes | typeof objectives | typeof actions, where: ReturnType<typeof eq>) =>
    Number((await tx.select({ m: max(table.position) }).from(table).where(where))[0]?.m ?? -1);
  let next = state.actions.reduce((m, a) => Math.max(m, a.number), 0);
  const fileNumbers = new Set(rows.flatMap((r) => (r.number ? [r.number] : [])));
  for (const r of rows) {
    let theme = liveTheme(state, r.theme);
    if (!theme) {
      const [row] = await tx
        .insert(themes)
        .values({ territoryId, code: themeCode(r.theme, codes), title: r.theme, position: (await maxPos(themes, eq(themes.territoryId, territoryId))) + 1 })
        .returning();
      theme = { id: row!.id, title: row!.title, code: row!.code, archived: false };
      state.themes.push(theme);
      result.themesCreated++;
      await recordAudit(tx, audit, { territoryId, action: "create", entity: "theme", entityId: row!.id, after: { code: row!.code, title: row!.title, source: "import" } });
    }
    let objective = liveObjective(state, theme.id, r.objective);
    if (!objective) {
      const [row] = await tx
        .insert(objectives)
        .values({ territoryId, themeId: theme.id, title: r.objective, position: (await maxPos(objectives, and(eq(objectives.territoryId, territoryId), eq(objectives.themeId, theme.id))!)) + 1 })
        .returning();
      objective = { id: row!.id, themeId: theme.id, title: row!.title, archived: false };
      state.objectives.push(objective);
      result.objectivesCreated++;
      await recordAudit(tx, audit, { territoryId, action: "create", entity: "objective", entityId: row!.id, after: { themeId: theme.id, title: row!.title, source: "import" } });
    }
    const existing = r.number ? state.actions.find((a) => a.number === r.number) : undefined;
    const values = { title: r.title, objectiveId: objective.id, ...r.fields };
    let actionId: number;
    let jointBecame = false;
    let leadId: number | null;
    if (!existing) {
      let number = r.number;
      if (!number) {
        do next++;
        while (fileNumbers.has(next) || state.actions.some((a) => a.number === next));
        number = next;
      }
      const [row] = await tx
        .insert(actions)
        .values({ territoryId, number, ...values, visibility: r.fields.visibility ?? "published", position: (await maxPos(actions, and(eq(actions.territoryId, territoryId), eq(actions.objectiveId, objective.id))!)) + 1 })
        .returning();
      state.actions.push(row!);
      actionId = row!.id;
      jointBecame = row!.joint;
      leadId = row!.leadAuthorityId;
      result.actionsCreated++;
      await recordAudit(tx, audit, { territoryId, action: "create", entity: "action", entityId: row!.id, after: { number, ...values, source: "import" } });
      if (row!.status) await tx.insert(statusChanges).values({ territoryId, actionId: row!.id, fromStatus: null, toStatus: row!.status, comment: "Import d’un tableur", authorId: audit.actor.user?.id ?? null });
    } else {
      const changes = diff(existing as unknown as Record<string, unknown>, values);
      actionId = existing.id;
      leadId = (values.leadAuthorityId !== undefined ? values.leadAuthorityId : existing.leadAuthorityId) ?? null;
      if (!changes) continue;
      await tx
        .update(actions)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(actions.territoryId, territoryId), eq(actions.id, existing.id)));
      jointBecame = values.joint === true && !existing.joint;
      if (values.status !== undefined && values.status !== existing.status) {
        await tx.insert(statusChanges).values({ territoryId, actionId: existing.id, fromStatus: existing.status, toStatus: values.status, comment: "Import d’un tableur", authorId: audit.actor.user?.id ?? null });
      }
      Object.assign(existing, values);
      result.actionsUpdated++;
      await recordAudit(tx, audit, { territoryId, action: "update", entity: "action", entityId: existing.id, before: changes.before, after: { ...changes.after, source: "import" } });
    }
    // A joint (◆) action is run with the territory's other intercommunalités: they become partners.
    if (jointBecame) {
      const partners = await tx.select().from(actionPartners).where(and(eq(actionPartners.territoryId, territoryId), eq(actionPartners.actionId, actionId)));
      const missing = state.authorities.filter((a) => a.id !== leadId && !partners.some((p) => p.authorityId === a.id));
      if (missing.length) {
        await tx.insert(actionPartners).values(missing.map((a, i) => ({ territoryId, actionId, authorityId: a.id, name: a.name, position: partners.length + i })));
      }
    }
  }
  return result;
}

/** The check's errors, in French, one a line: "ligne 4, colonne F (« Statut ») : …". */
export const errorLines = (errors: SpreadsheetError[]) => errors.map(formatSpreadsheetError);

// ---------------------------------------------------------------------------------------------
// Template

const EXAMPLE = {
  "Thématique": "Attirer et développer les entreprises",
  Objectif: "Créer une offre foncière adaptée",
  "N°": 1,
  Action: "Recenser les friches industrielles",
  Description: "Inventaire partagé des friches et des locaux vacants.",
  Statut: "En cours",
  Porteur: "",
  "Partenariat ◆": "oui",
  "Date de début": "2026-01-15",
  "Date de fin prévue": "2027-06-30",
  "Priorité": "Haute",
  "Étiquettes": "foncier, friches",
  "Élu référent": "",
  "Visibilité": "Publiée",
} satisfies Record<ColumnName, string | number>;

/** The template as XLSX: the headers, one example row, and a sheet explaining each column. */
export async function templateXlsx(authorities: { name: string; siren: string }[]): Promise<Buffer> {
  const example = { ...EXAMPLE, Porteur: authorities[0]?.siren ?? "" };
  return writeWorkbook([
    {
      name: "Plan d’actions",
      columns: IMPORT_COLUMNS.map((c) => ({ header: c.name, key: c.name, type: c.name.startsWith("Date") ? ("date" as const) : c.name === "N°" ? ("integer" as const) : ("text" as const) })),
      rows: [example],
    },
    {
      name: "Mode d’emploi",
      columns: [
        { header: "Colonne", key: "c", width: 22 },
        { header: "Obligatoire", key: "r", width: 12 },
        { header: "Contenu", key: "h", width: 100 },
      ],
      rows: [
        ...IMPORT_COLUMNS.map((c) => ({ c: c.name, r: "required" in c && c.required ? "oui" : "non", h: c.help })),
        { c: "", r: "", h: "" },
        { c: "Intercommunalités", r: "", h: authorities.map((a) => `${a.name} : ${a.siren}`).join(" ; ") },
        { c: "Règles", r: "", h: "Une action dont le N° existe déjà est mise à jour ; une colonne absente ou une cellule vide ne change pas sa valeur. Rien n’est enregistré tant que le fichier compte une erreur." },
      ],
    },
  ]);
}

/** The template as CSV (UTF-8 with BOM, `;`): the headers and one example row. */
export function templateCsv(authorities: { siren: string }[]): string {
  const example = { ...EXAMPLE, Porteur: authorities[0]?.siren ?? "", "Date de début": "15/01/2026", "Date de fin prévue": "30/06/2027" };
  return toCsv(
    IMPORT_COLUMNS.map((c) => c.name),
    [IMPORT_COLUMNS.map((c) => example[c.name])],
  );
}

/** Letters of the template's columns, for the help text. */
export const templateColumns = () => IMPORT_COLUMNS.map((c, i) => ({ letter: columnLetter(i + 1), ...c }));

