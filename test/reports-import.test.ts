// Importing a plan from a spreadsheet (issue 4): templates, every error with its row and column,
// nothing written unless the whole file is valid, then one audited transaction; the CLI too.
import { writeFileSync, mkdirSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../src/core/control.ts";
import { writeWorkbook } from "../src/core/formats/xlsx.ts";
import { Client, createTestApp, DB_KINDS, DEMO, signedInClient, type TestApp } from "./helpers/app.ts";
import { mainOf, textOf } from "./helpers/html.ts";
import "../src/modules/reports/commands/cli.ts";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Posts a file as the browser's multipart form does, with the page's CSRF token. */
async function upload(t: TestApp, client: Client, url: string, filename: string, content: Buffer, type: string) {
  const token = await client.csrf(url);
  const b = "----formulaire";
  const body = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${b}\r\nContent-Disposition: form-data; name="fichier"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  const res = await t.app.inject({ method: "POST", url, headers: { cookie: client.jar.header(), "content-type": `multipart/form-data; boundary=${b}` }, payload: body });
  client.jar.store(res);
  return res;
}

describe.each(DB_KINDS)("plan import on %s", (kind) => {
  let t: TestApp;
  let agent: Client;
  let territoryId: number;
  let existing: { id: number; number: number; title: string; status: string | null };
  const page = `/t/${DEMO}/gestion/import`;
  const q = <T>(sql: string, params: unknown[] = []) => t.database.query<T>(sql, params);
  const counts = async () => (await q<{ a: number; th: number; o: number; f: number; l: number }>(
    "select (select count(*)::int from plan_actions) as a, (select count(*)::int from plan_themes) as th, (select count(*)::int from plan_objectives) as o, (select count(*)::int from files) as f, (select count(*)::int from audit_log) as l",
  ))[0]!;

  beforeAll(async () => {
    t = await createTestApp(kind);
    agent = await signedInClient(t, { role: "agent", territory: DEMO });
    territoryId = (await q<{ id: number }>("select id from territories where slug = $1", [DEMO]))[0]!.id;
    existing = (await q<typeof existing>("select id, number, title, status from plan_actions where territory_id = $1 and visibility = 'published' and archived_at is null order by number limit 1", [territoryId]))[0]!;
  });
  afterAll(async () => t?.close());

  it("offers the templates (XLSX and CSV) with the French headers", async () => {
    const res = await agent.get(page);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('enctype="multipart/form-data"');
    const xlsx = await agent.get(`${page}/modele.xlsx`);
    expect(xlsx.headers["content-type"]).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, "Thématique", "Objectif", "N°", "Action", "Description", "Statut", "Porteur", "Partenariat ◆", "Date de début", "Date de fin prévue", "Priorité", "Étiquettes", "Élu référent", "Visibilité"]);
    const csv = await agent.get(`${page}/modele.csv`);
    expect(csv.body).toMatch(/^\uFEFFThématique;Objectif;N°;Action;Description;Statut;Porteur;Partenariat ◆;Date de début/);
  });

  it("reports every error with its row and column, and writes nothing", async () => {
    const before = await counts();
    const csv = [
      "Thématique;Objectif;N°;Action;Statut;Porteur;Date de début;Date de fin prévue;Couleur",
      `Emploi;Former;${existing.number};Titre;Terminé bientôt;Mairie inconnue;31/02/2026;01/01/2026;bleu`,
      "Emploi;Former;abc;;En cours;;;;",
      `Emploi;Former;${existing.number};Doublon;;;;;`,
    ].join("\r\n");
    const res = await upload(t, agent, page, "plan.csv", Buffer.from(csv, "utf8"), "text/csv");
    expect(res.statusCode).toBe(422);
    const text = textOf(mainOf(res.body));
    expect(res.body).toContain("<title>Erreur – ");
    expect(text).toContain("ligne 1, colonne I (« Couleur ») : colonne inconnue");
    // The header's errors stop the check before the rows: fix it, and the rows' errors show.
    const csv2 = csv.replace(";Couleur", "").replace(/;bleu$/m, "").replace(/;;;;$/m, ";;;");
    const res2 = await upload(t, agent, page, "plan.csv", Buffer.from(csv2, "utf8"), "text/csv");
    expect(res2.statusCode).toBe(422);
    const text2 = textOf(mainOf(res2.body));
    expect(text2).toContain("ligne 2, colonne E (« Statut ») : statut inconnu « Terminé bientôt »");
    expect(text2).toContain("ligne 2, colonne F (« Porteur ») : « Mairie inconnue » n’est pas une intercommunalité du territoire");
    expect(text2).toContain("ligne 2, colonne G (« Date de début ») : « 31/02/2026 » n’est pas une date valide");
    expect(text2).toContain("ligne 3, colonne C (« N° ») : « abc » n’est pas un numéro d’action");
    expect(text2).toContain("ligne 3, colonne D (« Action ») : valeur obligatoire manquante");
    expect(text2).toContain(`ligne 4, colonne C (« N° ») : le numéro ${existing.number} figure déjà ligne 2`);
    expect(text2).toContain("rien n’a été enregistré");
    expect(await counts()).toEqual(before);
    // A file that is no spreadsheet at all.
    const pdf = await upload(t, agent, page, "plan.pdf", Buffer.from("%PDF-1.4\n\0\0binaire"), "application/pdf");
    expect(pdf.statusCode).toBe(422);
    expect(textOf(pdf.body)).toContain("le fichier doit être un classeur XLSX ou un fichier CSV");
    expect((await upload(t, agent, page, "", Buffer.alloc(0), "application/octet-stream")).statusCode).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it("imports a valid XLSX after a preview: new theme, objective and action; an action updated by its N°", async () => {
    const before = await counts();
    const newStatus = existing.status === "paused" ? { label: "Abandonnée", code: "abandoned" } : { label: "En pause", code: "paused" };
    const siren = (await q<{ siren: string }>("select siren from territory_authorities where territory_id = $1 order by position limit 1", [territoryId]))[0]!.siren;
    const xlsx = await writeWorkbook([
      {
        name: "Plan",
        columns: ["Thématique", "Objectif", "N°", "Action", "Statut", "Porteur", "Partenariat ◆", "Date de début", "Date de fin prévue", "Priorité", "Étiquettes"].map((h) => ({ header: h, key: h, type: h.startsWith("Date") ? ("date" as const) : h === "N°" ? ("integer" as const) : ("text" as const) })),
        rows: [
          { "Thématique": "Transition écologique", Objectif: "Réduire les déchets industriels", Action: "Créer une bourse aux matériaux", Statut: "À venir", Porteur: siren, "Partenariat ◆": "oui", "Date de début": "2027-01-01", "Date de fin prévue": "2028-06-30", "Priorité": "Haute", "Étiquettes": "déchets, économie circulaire" },
          { "Thématique": "Transition écologique", Objectif: "Réduire les déchets industriels", "N°": existing.number, Action: `${existing.title} (mise à jour)`, Statut: newStatus.label },
        ],
      },
    ]);
    const res = await upload(t, agent, page, "plan.xlsx", xlsx, XLSX);
    expect(res.statusCode).toBe(303);
    const preview = String(res.headers.location);
    expect(preview).toMatch(new RegExp(`^${page}/\\d+$`));
    // Checking the file stores it but changes nothing in the plan.
    expect((await counts()).a).toBe(before.a);
    const shown = textOf(mainOf((await agent.get(preview)).body));
    expect(shown).toContain("1 thématique créée");
    expect(shown).toContain("1 objectif créé");
    expect(shown).toContain("1 action créée");
    expect(shown).toContain("Créer une bourse aux matériaux");
    expect(shown).toContain(`${existing.number}. ${existing.title} (mise à jour) (titre, objectif, statut)`);
    const done = await agent.post(preview, {}, { formPage: preview });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/t/${DEMO}/gestion`);
    const after = await counts();
    expect(after.a).toBe(before.a + 1);
    expect(after.th).toBe(before.th + 1);
    expect(after.o).toBe(before.o + 1);
    // Confirming the same file again (a double click) changes nothing.
    const again = await agent.post(preview, {}, { formPage: page });
    expect(again.statusCode).toBe(303);
    expect((await counts()).a).toBe(after.a);
    expect(textOf(mainOf((await agent.get(preview)).body))).toContain("a déjà été importé");
    const created = (await q<{ title: string; status: string; joint: boolean; priority: string; tags: string[]; start_date: string; planned_end_date: string; number: number; id: number }>(
      "select id, number, title, status, joint, priority, tags, start_date::text, planned_end_date::text from plan_actions where territory_id = $1 and title = 'Créer une bourse aux matériaux'",
      [territoryId],
    ))[0]!;
    expect(created).toMatchObject({ status: "planned", joint: true, priority: "high", tags: ["déchets", "économie circulaire"], start_date: "2027-01-01", planned_end_date: "2028-06-30" });
    expect(created.number).toBeGreaterThan(existing.number);
    expect((await q("select * from plan_action_partners where action_id = $1", [created.id])).length).toBeGreaterThan(0);
    const updated = (await q<{ title: string; status: string }>("select title, status from plan_actions where id = $1", [existing.id]))[0]!;
    expect(updated).toEqual({ title: `${existing.title} (mise à jour)`, status: newStatus.code });
    expect((await q("select * from plan_status_changes where action_id = $1 and to_status = $2", [existing.id, newStatus.code])).length).toBe(1);
    const entries = await q<{ entity: string; action: string }>("select entity, action from audit_log where id > (select max(id) - 10 from audit_log) order by id");
    expect(entries.map((e) => `${e.entity}:${e.action}`)).toEqual(expect.arrayContaining(["plan_import:upload", "theme:create", "objective:create", "action:create", "action:update"]));
    // The public plan shows the new action.
    expect(textOf((await new Client(t.app).get(`/t/${DEMO}/plan`)).body)).toContain("Créer une bourse aux matériaux");
  });

  it("reads a CSV saved by French Excel (Windows-1252) and refuses agents limited to one intercommunalité", async () => {
    const latin1 = Buffer.from("Thématique;Objectif;N°;Action\r\nTransition écologique;Réduire les déchets industriels;;Étudier la méthanisation\r\n", "latin1");
    const res = await upload(t, agent, page, "plan.csv", latin1, "text/csv");
    expect(res.statusCode).toBe(303);
    expect(textOf((await agent.get(String(res.headers.location))).body)).toContain("Étudier la méthanisation");
    const limitedEmail = `limite-${Date.now()}@exemple.fr`;
    const limited = await signedInClient(t, { role: "agent", territory: DEMO, email: limitedEmail });
    await q("update memberships set authority_id = (select id from territory_authorities where territory_id = $1 order by position limit 1) where user_id = (select id from users where email = $2)", [territoryId, limitedEmail]);
    expect((await limited.get(page)).statusCode).toBe(403);
    expect((await new Client(t.app).get(page)).statusCode).toBe(303);
  });

  it("imports from the command line, with --dry-run first", async () => {
    mkdirSync(".tmp", { recursive: true });
    const file = `.tmp/import-cli-${kind}.csv`;
    writeFileSync(file, "\uFEFFThématique;Objectif;N°;Action\r\nNumérique;Couvrir les zones d’activité;;Déployer la fibre CLI\r\n");
    const before = await counts();
    const dry = await runCommand(t.database, "plan.import", { territory: DEMO, file, "dry-run": true });
    expect(dry).toContain("rien n'a été enregistré");
    expect(dry).toContain("+ action");
    expect((await counts()).a).toBe(before.a);
    const out = await runCommand(t.database, "plan.import", { territory: DEMO, file });
    expect(out).toContain("Import terminé : 1 action(s) créée(s)");
    expect((await counts()).a).toBe(before.a + 1);
    writeFileSync(file, "Thématique;Objectif;N°;Action\r\nNumérique;;;\r\n");
    await expect(runCommand(t.database, "plan.import", { territory: DEMO, file })).rejects.toThrow(/ligne 2, colonne B \(« Objectif »\) : valeur obligatoire manquante/);
  });
});
