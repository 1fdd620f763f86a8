// The observatory on both databases: the seeded real populations, the four importers on valid and
// malformed sample files (header errors naming the column, rejected rows with their line, idempotent
// re-import, nothing written on failure), aggregates and ratios, pages, CSV, PDF, API, back-office.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, h1Of, mainOf, textOf } from "./helpers/html.ts";
import { runImport } from "../src/core/imports/index.ts";
import { IMPORTERS } from "../src/modules/observatory/importers.ts";
import { pdfPages } from "./helpers/pdf-text.ts";

const FIXTURES = new URL("./fixtures/observatory/", import.meta.url).pathname;
const SIRENE = new URL("./fixtures/sirene/", import.meta.url).pathname;

describe.each(DB_KINDS)("observatory on %s", (kind) => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const imp = (k: string, file: string, options: Record<string, unknown> = {}) => runImport({ database: t.database, importer: IMPORTERS[k], file: join(FIXTURES, file), options, chunkSize: 100 });
  const obs = async (code: string, level: string, geo: string, period: string) =>
    (
      await t.database.query<{ value: number | null; status: string }>(
        `SELECT o.value, o.status FROM observations o JOIN indicators i ON i.id = o.indicator_id AND i.territory_id IS NULL
         WHERE i.code = $1 AND o.geo_level = $2 AND o.geo_code = $3 AND o.period = $4::date`,
        [code, level, geo, period],
      )
    )[0];
  /** The page once the import's content version has reached the page cache (LISTEN/NOTIFY is asynchronous). */
  const fresh = async (url: string, absent: string) => {
    for (let i = 0; ; i++) {
      const res = await get(url);
      if (!textOf(res.body).includes(`${absent} Les`) || i > 40) return res;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const countObs = async () => (await t.database.query<{ n: number }>("SELECT count(*)::int AS n FROM observations"))[0].n;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it("ships the real 2022 legal populations of every commune, summed up to France", async () => {
    expect(await obs("pop_municipale", "commune", "14762", "2022-01-01")).toEqual({ value: 17457, status: "final" });
    const epci = await obs("pop_municipale", "epci", "200068799", "2022-01-01");
    const [sum] = await t.database.query<{ s: number }>("SELECT sum(population)::int AS s FROM geo_communes WHERE epci_siren = '200068799'");
    expect(epci.value).toBe(sum.s);
    const france = await obs("pop_municipale", "france", "FR", "2022-01-01");
    expect(france.value).toBeGreaterThan(60_000_000);
    const page = await get(`/t/${REF}/observatoire`);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page);
    expect(h1Of(page.body)).toBe("Observatoire du territoire");
    const text = textOf(mainOf(page.body));
    expect(text).toMatch(/Population municipale \(2022\)/);
    expect(text).toContain("Calvados");
    expect(text).toContain("Normandie");
    expect(text).toContain("France");
    // No invented figures on the reference territory: the other themes say the data is missing.
    expect(text).toContain("Les effectifs salariés de l’Urssaf n’ont pas encore été importés");
    // The map shows population by commune by default, with its table.
    expect(page.body).toContain('class="map-svg"');
    expect(page.body).toMatch(/<th scope="row">Vire Normandie<\/th><td>14762<\/td><td class="num">17\u202f457/);
    expect(page.body).not.toMatch(/style="/);
  });

  it("imports the INSEE yearly file, refuses a header with an unknown column, and re-imports identically", async () => {
    const before = await countObs();
    const bad = await imp("insee-populations", "populations-colonne-inconnue.csv", { annee: "2021" });
    expect(bad.status).toBe("failed");
    expect(bad.message).toContain("Colonne inconnue dans l’en-tête du fichier : « POPULATION_ESTIMEE »");
    expect(await countObs()).toBe(before);
    const noYear = await imp("insee-populations", "populations-legales-2021-communes.csv");
    expect(noYear.message).toMatch(/--annee/);
    const r = await imp("insee-populations", "populations-legales-2021-communes.csv", { annee: "2021" });
    expect(r).toMatchObject({ status: "done", rowsRead: 59, rowsKept: 59, rowsRejected: 0 });
    expect(await obs("pop_municipale", "commune", "14762", "2021-01-01")).toEqual({ value: 17444, status: "final" });
    // Population totale is not summed above the commune (INSEE: double counts).
    expect(await obs("pop_totale", "commune", "14762", "2021-01-01")).toBeTruthy();
    expect(await obs("pop_totale", "epci", "200068799", "2021-01-01")).toBeUndefined();
    const n = await countObs();
    const again = await imp("insee-populations", "populations-legales-2021-communes.csv", { annee: "2021" });
    expect(again.status).toBe("done");
    expect(await countObs()).toBe(n);
    // The wide layout (one column per year), in Latin-1.
    const wide = await imp("insee-populations", "populations-historiques.csv");
    expect(wide).toMatchObject({ status: "done", rowsRead: 10, encoding: "windows-1252" });
    expect(await obs("pop_municipale", "commune", "14762", "2019-01-01")).toEqual({ value: 17497, status: "final" });
  });

  it("imports URSSAF establishments and jobs by commune × APE, with the industry share recomputed, rejecting bad rows with their line", async () => {
    const bad = await imp("urssaf", "urssaf-lignes-incorrectes.csv");
    expect(bad.status).toBe("done");
    expect(bad.rowsRejected).toBe(3);
    expect(bad.rejections.map((x) => x.line)).toEqual([50, 51, 52]);
    expect(bad.rejections[0].reason).toMatch(/code commune « 99999 » inconnu/);
    expect(bad.rejections[1]).toMatchObject({ column: "ape" });
    expect(bad.rejections[2]).toMatchObject({ column: "effectifs_salaries_2020", reason: "« deux » n’est pas un nombre positif" });
    const r = await imp("urssaf", "urssaf-etablissements-effectifs-commune-ape.csv");
    expect(r).toMatchObject({ status: "done", rowsRead: 236, rowsRejected: 0 });
    const [sums] = await t.database.query<{ jobs: number; ind: number }>(
      `SELECT sum(o.value) FILTER (WHERE i.code = 'urssaf_effectifs')::int AS jobs, sum(o.value) FILTER (WHERE i.code = 'urssaf_effectifs_industrie')::int AS ind
       FROM observations o JOIN indicators i ON i.id = o.indicator_id JOIN geo_communes c ON c.code = o.geo_code
       WHERE o.geo_level = 'commune' AND o.period = '2023-01-01' AND c.epci_siren IN ('200068799', '200035814')`,
    );
    const epcis = await Promise.all(["200068799", "200035814"].map((s) => obs("urssaf_effectifs", "epci", s, "2023-01-01")));
    expect(epcis[0].value! + epcis[1].value!).toBe(sums.jobs);
    const page = await fresh(`/t/${REF}/observatoire`, "Emploi salarié privé et industrie");
    const text = textOf(mainOf(page.body));
    const share = ((sums.ind / sums.jobs) * 100).toLocaleString("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    expect(text).toContain(`Part de l’industrie dans l’emploi salarié privé`);
    expect(text).toContain(`${share} %`);
    expect(page.body).toContain(`/t/${REF}/observatoire/graphique.csv?id=emploi-industrie`);
    const csv = await get(`/t/${REF}/observatoire/graphique.csv?id=emploi-industrie`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.body).toMatch(/^\uFEFFAnnée \(au 31 décembre\);Industrie \(sections B à E\) \(emplois\);Autres secteurs \(emplois\)\r\n2020;/);
  });

  it("imports DARES jobseekers (secret values stay secret up the geography) and refuses a missing column by name", async () => {
    const before = await countObs();
    const bad = await imp("dares", "dares-colonne-manquante.csv");
    expect(bad.message).toContain("Colonne manquante dans l’en-tête du fichier : « nombre_de_demandeurs_d_emploi »");
    expect(await countObs()).toBe(before);
    const r = await imp("dares", "dares-demandeurs-emploi-commune.csv");
    expect(r.status).toBe("done");
    expect(r.delimiter).toBe(",");
    expect(r.rowsIgnored).toBe(59 * 5); // category B is not followed
    const secret = await t.database.query<{ geo_code: string; epci: string }>(
      `SELECT o.geo_code, c.epci_siren AS epci FROM observations o JOIN indicators i ON i.id = o.indicator_id JOIN geo_communes c ON c.code = o.geo_code
       WHERE i.code = 'de_cat_a' AND o.geo_level = 'commune' AND o.status = 'secret' AND o.period = '2024-01-01' LIMIT 1`,
    );
    expect(secret.length).toBe(1);
    const epci = await obs("de_cat_a", "epci", secret[0].epci, "2024-01-01");
    expect(epci).toEqual({ value: null, status: "secret" });
    // The API never exposes a secret value.
    const api = await get(`/api/v1/observations?indicator=de_cat_a&geo=commune:${secret[0].geo_code},epci:${secret[0].epci}&from=2024`);
    expect(api.statusCode).toBe(200);
    for (const o of api.json().observations) expect(o.value).toBeNull();
  });

  it("imports the Sirene stock through the Sirene reader, counted by commune × NAF × size", async () => {
    const r = await runImport({ database: t.database, importer: IMPORTERS.sirene, file: join(SIRENE, "StockEtablissement_utf8.csv"), options: { date: "2025-01-01" } });
    expect(r.status).toBe("done");
    expect(r.rowsRead).toBeGreaterThan(0);
    const [{ n }] = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM observations o JOIN indicators i ON i.id = o.indicator_id WHERE i.code = 'sirene_etablissements' AND o.geo_level = 'france' AND o.period = '2025-01-01'`,
    );
    expect(n).toBe(1);
    const total = await obs("sirene_etablissements", "france", "FR", "2025-01-01");
    expect(total.value).toBe(r.rowsKept);
    const zip = await runImport({ database: t.database, importer: IMPORTERS.sirene, file: join(SIRENE, "StockEtablissement_utf8.zip"), options: { date: "2025-01-01" } });
    expect(zip.status).toBe("done");
    expect((await obs("sirene_etablissements", "france", "FR", "2025-01-01")).value).toBe(total.value);
  });

  it("shows the indicator page, its CSV, the catalogue and the PDF diagnostic", async () => {
    const page = await get(`/t/${REF}/observatoire/indicateurs/pop_municipale`);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page);
    const text = textOf(mainOf(page.body));
    expect(text).toContain("Licence Ouverte");
    expect(text).toContain("Classement des communes");
    expect(text).toMatch(/1\s*Vire Normandie/);
    expect((await get(`/t/${REF}/observatoire/indicateurs/inconnu`)).statusCode).toBe(404);
    const csv = await get(`/t/${REF}/observatoire/indicateurs/pop_municipale/donnees.csv`);
    expect(csv.body).toContain("pop_municipale;commune;14762;Vire Normandie;2022-01-01;2022;17457;définitif");
    expect((await get(`/t/${REF}/observatoire/indicateurs`)).statusCode).toBe(200);
    const ratio = await get(`/t/${REF}/observatoire/indicateurs/urssaf_part_industrie`);
    expect(textOf(ratio.body)).toContain("rapport recalculé à chaque niveau");
    const pdf = await get(`/t/${REF}/observatoire/diagnostic.pdf?date=2023-12-31`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    const pdfBody = (await pdfPages(pdf.rawPayload)).join(" ");
    expect(pdfBody).toContain("Diagnostic dynamique");
    expect(pdfBody).toContain("Population municipale");
    expect((await get(`/t/${REF}/observatoire/diagnostic.pdf?date=demain`)).statusCode).toBe(400);
  });

  it("chooses the map's indicator and period by a GET form, falling back to the latest period", async () => {
    const res = await get(`/t/${REF}/observatoire?carte=urssaf_effectifs&periode=2021-01-01`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<option value="urssaf_effectifs" selected/);
    expect(res.body).toMatch(/<option value="2021-01-01" selected/);
    const odd = await get(`/t/${REF}/observatoire?carte=urssaf_effectifs&periode=1999-01-01`);
    expect(odd.statusCode).toBe(200);
    expect(odd.body).toContain("La période demandée n’existe pas pour cet indicateur");
    expect((await get(`/t/${REF}/observatoire?periode=nimporte`)).statusCode).toBe(400);
  });

  it("answers the API in JSON and CSV, paginated", async () => {
    const list = await get("/api/v1/indicators");
    expect(list.statusCode).toBe(200);
    expect(list.json().indicators.find((i: { code: string }) => i.code === "urssaf_part_industrie")).toMatchObject({ aggregation: "ratio", numerator: "urssaf_effectifs_industrie", denominator: "urssaf_effectifs" });
    const page = await get("/api/v1/observations?indicator=pop_municipale&geo=commune:14762,epci:200068799,france:FR&from=2021&to=2022");
    expect(page.json().observations).toContainEqual({ indicator: "pop_municipale", geoLevel: "commune", geoCode: "14762", period: "2022-01-01", value: 17457, status: "final" });
    const paged = await get("/api/v1/observations?indicator=pop_municipale&limit=2&offset=3");
    expect(paged.json().observations).toHaveLength(2);
    const csv = await get("/api/v1/observations?indicator=pop_municipale&geo=commune:14762", { accept: "text/csv" });
    expect(csv.body).toMatch(/^\uFEFFindicateur;niveau;code;periode;valeur;statut\r\n/);
    const ratio = await get(`/api/v1/observations?indicator=urssaf_part_industrie&geo=territory:${REF},france:FR&format=csv`);
    expect(ratio.statusCode).toBe(200);
    expect(ratio.body).toContain(`urssaf_part_industrie;territory;${REF};2023-01-01;`);
    expect((await get("/api/v1/observations?indicator=inconnu")).statusCode).toBe(404);
    expect((await get("/api/v1/observations?indicator=pop_municipale&geo=planete:1")).statusCode).toBe(400);
    expect((await get("/api/v1/observations?indicator=urssaf_part_industrie")).statusCode).toBe(400);
    const openapi = await get("/api/openapi.json");
    expect(Object.keys(openapi.json().paths)).toEqual(expect.arrayContaining(["/api/v1/indicators", "/api/v1/observations"]));
  });

  it("lets a platform admin upload a national file and read its report; refuses agents", async () => {
    const admin = await signedInClient(t, { platformAdmin: true });
    const token = await admin.csrf("/gestion/observatoire/imports");
    const send = (content: string, kind = "dares") => {
      const boundary = "----collines-observatoire";
      const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const body =
        part("_csrf", token) +
        part("kind", kind) +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dares.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
      return t.app.inject({ method: "POST", url: "/gestion/observatoire/imports", headers: { cookie: admin.jar.header(), "content-type": `multipart/form-data; boundary=${boundary}` }, payload: body });
    };
    const bad = await send("code_commune;date;categorie\n14762;2024-03-31;A\n");
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/<title>Erreur – /);
    expect(textOf(bad.body)).toContain("Colonne manquante dans l’en-tête du fichier : « nombre_de_demandeurs_d_emploi »");
    const ok = await send("code_commune;date;categorie;nombre_de_demandeurs_d_emploi\n14762;2024-06-30;A;512\n14762;2024-06-30;ABC;s\nXX;2024-06-30;A;1\n");
    expect(ok.statusCode).toBe(200);
    expect(textOf(ok.body)).toContain("Import réussi");
    expect(textOf(ok.body)).toContain("ligne 4, colonne « code commune »");
    expect(await obs("de_cat_a", "commune", "14762", "2024-04-01")).toEqual({ value: 512, status: "final" });
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    expect((await agent.get("/gestion/observatoire/imports")).statusCode).toBe(403);
  });

  it("lets an agent keep a local indicator and its values; the demo shows its fictional ones", async () => {
    const demo = await get(`/t/${DEMO}/observatoire`);
    expect(textOf(demo.body)).toContain("Emplois créés dans les parcs d’activités (fictif)");
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    const base = `/t/${REF}/gestion/observatoire`;
    expect((await agent.get(base)).statusCode).toBe(200);
    const invalid = await agent.post(`${base}/indicateurs/nouveau`, { code: "Bad code", name: "", unit: "emplois", periodicity: "annual", level: "territory", direction: "up" });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toMatch(/<title>Erreur – /);
    const dup = await agent.post(`${base}/indicateurs/nouveau`, { code: "pop_municipale", name: "x", unit: "x", periodicity: "annual", level: "territory", direction: "up" });
    expect(dup.statusCode).toBe(422);
    const created = await agent.post(`${base}/indicateurs/nouveau`, { code: "emplois_parcs", name: "Emplois créés dans les parcs d’activités", unit: "emplois", periodicity: "annual", level: "commune", direction: "up", source: "Service économique" });
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const bad = await agent.post(`${url}/valeurs`, { geo: "commune:14762", period: "2024", value: "beaucoup", status: "final" }, { formPage: url });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("Indiquez la valeur en chiffres");
    expect((await agent.post(`${url}/valeurs`, { geo: "commune:14762", period: "2024", value: "12,5", status: "provisional" }, { formPage: url })).statusCode).toBe(303);
    expect((await agent.post(`${url}/valeurs`, { geo: "commune:61169", period: "2024", value: "30", status: "final" }, { formPage: url })).statusCode).toBe(303);
    const pub = await get(`/t/${REF}/observatoire/indicateurs/emplois_parcs`);
    expect(pub.statusCode).toBe(200);
    // The territory's value is the sum of its communes, provisional since one part is.
    expect(textOf(pub.body)).toMatch(/Collines de Normandie \(territoire\)\s*42,5 \(provisoire\)/);
    expect((await agent.post(`${url}/valeurs/supprimer`, { geo: "commune:61169", period: "2024-01-01" }, { formPage: url })).statusCode).toBe(303);
    expect((await agent.post(`${url}/archiver`, {}, { formPage: url })).statusCode).toBe(303);
    expect((await get(`/t/${REF}/observatoire/indicateurs/emplois_parcs`)).statusCode).toBe(404);
    const [{ n }] = await t.database.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity IN ('indicator', 'observation')");
    expect(n).toBeGreaterThanOrEqual(5);
    // Another territory's agent does not reach it.
    const other = await signedInClient(t, { role: "agent", territory: DEMO });
    expect((await other.get(url)).statusCode).toBe(403);
    expect((await other.get(url.replace(REF, DEMO))).statusCode).toBe(404);
  });
});
