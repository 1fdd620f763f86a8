import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { crc32, deflateRawSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { createTestDatabase, DB_KINDS } from "./helpers/app.ts";
import type { Database } from "../src/core/db/client.ts";
import { checkHeader, detectDelimiter, formatReport, ImportError, looksUtf8, runImport, SKIP, type Importer } from "../src/core/imports/index.ts";

// The streaming import framework on both databases: header checks naming the column, rejected rows
// with their line, chunked staging, all-or-nothing merge, gzip/ZIP/Latin-1 sources.

const dir = mkdtempSync(join(tmpdir(), "collines-imports-"));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** A one-entry ZIP archive (deflated), as the national producers publish them. */
function zip(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(content), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBuf.length, 12);
  end.writeUInt32LE(30 + nameBuf.length + data.length, 16);
  return Buffer.concat([local, nameBuf, data, central, nameBuf, end]);
}

/** A test importer: code;valeur rows into imp_test, replacing the table's content. */
const importer: Importer = {
  kind: "test",
  label: "Test",
  header: { required: ["code", "valeur"], optional: ["nom"] },
  stage: [
    { name: "code", type: "text" },
    { name: "value", type: "float8" },
    { name: "name", type: "text" },
  ],
  prepare(h, ctx) {
    const code = h!.col("code");
    const value = h!.col("valeur");
    const name = h!.col("nom");
    return {
      row(f) {
        if (f[code] === "ignorer") return SKIP;
        if (!/^\d{5}$/.test(f[code])) return { reject: `code « ${f[code]} » invalide`, column: "code" };
        const v = Number(f[value].replace(",", "."));
        if (!Number.isFinite(v)) return { reject: `valeur « ${f[value]} » non numérique`, column: "valeur" };
        ctx.stage([f[code], v, name >= 0 ? f[name] : null]);
      },
    };
  },
  async finish(tx, stage) {
    await tx.execute(sql.raw("DELETE FROM imp_test"));
    await tx.execute(sql.raw(`INSERT INTO imp_test SELECT code, value, name FROM "${stage}"`));
    const [{ n }] = ((await tx.execute(sql.raw("SELECT count(*)::int AS n FROM imp_test"))) as unknown as { rows: { n: number }[] }).rows;
    return `${n} lignes enregistrées.`;
  },
};

describe("header checks", () => {
  it("names a missing or unknown column in French", () => {
    expect(() => checkHeader(["code"], { required: ["code", "valeur"] })).toThrow(/Colonne manquante dans l’en-tête du fichier : « valeur »/);
    expect(() => checkHeader(["code", "valeur", "surprise"], { required: ["code", "valeur"] })).toThrow(/Colonne inconnue dans l’en-tête du fichier : « surprise »/);
    expect(() => checkHeader(["code", "CODE"], { required: ["code"] })).toThrow(/figure deux fois/);
    const h = checkHeader([" Code ", "effectifs_salaries_2021", "effectifs_salaries_2022"], { required: ["code"], patterns: [/^effectifs_salaries_(\d{4})$/], requirePattern: true });
    expect(h.col("CODE")).toBe(0);
    expect(h.matching(/^effectifs_salaries_(\d{4})$/).map((m) => m.key)).toEqual(["2021", "2022"]);
    expect(() => checkHeader(["code"], { required: ["code"], patterns: [/^effectifs_salaries_(\d{4})$/], requirePattern: true })).toThrow(/Aucune colonne annuelle/);
  });
  it("detects the delimiter and the encoding", () => {
    expect(detectDelimiter("a;b;c")).toBe(";");
    expect(detectDelimiter('"a;x",b,c')).toBe(",");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(looksUtf8(Buffer.from("Évreux", "utf8"))).toBe(true);
    expect(looksUtf8(Buffer.from("Évreux", "latin1"))).toBe(false);
  });
});

describe.each(DB_KINDS)("imports on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.exec("CREATE TABLE imp_test (code text PRIMARY KEY, value float8, name text)");
  });
  afterAll(async () => database?.close());
  const rows = () => database.query<{ code: string; value: number; name: string | null }>("SELECT * FROM imp_test ORDER BY code");
  const run = async (name: string, content: string | Buffer, chunkSize = 3) => runImport({ database, importer, file: file(name, content), chunkSize });

  it("imports in chunks, reports rejected rows with their line, and is idempotent", async () => {
    const csv = "code;valeur;nom\n14762;17457;Vire Normandie\n61169;14582,5;Flers\nABC;1;x\n61001;2;\nignorer;0;\n61002;nan;y\n61003;3;\n61004;4;\n";
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(Date.now()), 0);
    const r = await run("a.csv", csv);
    clearInterval(timer);
    expect(r.status).toBe("done");
    expect(r).toMatchObject({ rowsRead: 8, rowsKept: 5, rowsIgnored: 1, rowsRejected: 2, delimiter: ";", encoding: "utf-8" });
    expect(r.rejections).toEqual([
      { line: 4, column: "code", reason: "code « ABC » invalide" },
      { line: 7, column: "valeur", reason: "valeur « nan » non numérique" },
    ]);
    expect(ticks.length).toBeGreaterThan(0);
    expect(await rows()).toHaveLength(5);
    expect((await rows())[1]).toEqual({ code: "61001", value: 2, name: "" });
    const again = await run("a.csv", csv);
    expect(again.status).toBe("done");
    expect(await rows()).toHaveLength(5);
    const [stored] = await database.query<{ status: string; rows_read: number; rows_kept: number; rows_rejected: number; rejections: string[] }>(
      "SELECT status, rows_read, rows_kept, rows_rejected, rejections FROM import_runs WHERE id = $1",
      [r.runId],
    );
    expect(stored).toMatchObject({ status: "done", rows_read: 8, rows_kept: 5, rows_rejected: 2 });
    expect(JSON.parse(stored.rejections[0])).toEqual({ line: 4, column: "code", reason: "code « ABC » invalide" });
    expect(formatReport(r)).toContain("ligne 4, colonne « code » : code « ABC » invalide");
    // No staging table is left behind.
    expect(await database.query("SELECT 1 FROM information_schema.tables WHERE table_name LIKE 'import_stage_%'")).toHaveLength(0);
  });

  it("fails with the column's name and writes nothing when the header is wrong", async () => {
    const before = await rows();
    const missing = await run("b.csv", "code;nom\n14762;x\n");
    expect(missing.status).toBe("failed");
    expect(missing.message).toMatch(/Colonne manquante dans l’en-tête du fichier : « valeur »/);
    const unknown = await run("c.csv", "code,valeur,population_2099\n14762,1,2\n");
    expect(unknown.message).toMatch(/Colonne inconnue dans l’en-tête du fichier : « population_2099 »/);
    expect(await rows()).toEqual(before);
    const [stored] = await database.query<{ status: string; message: string }>("SELECT status, message FROM import_runs WHERE id = $1", [unknown.runId]);
    expect(stored.status).toBe("failed");
  });

  it("writes nothing when most rows are wrong, nor when the file is empty", async () => {
    const before = await rows();
    const bad = await run("d.csv", `code;valeur\n${Array.from({ length: 20 }, (_, i) => `x${i};1`).join("\n")}\n14000;1\n`);
    expect(bad.status).toBe("failed");
    expect(bad.message).toMatch(/20 lignes rejetées sur 21.*ligne 2 : code « x0 » invalide/);
    expect((await run("e.csv", "")).message).toMatch(/vide/);
    expect((await run("f.csv", "code;valeur\n")).message).toMatch(/aucune ligne de données/);
    expect(await rows()).toEqual(before);
  });

  it("reads gzip, ZIP, Latin-1 and streams of bytes", async () => {
    const csv = "code,valeur,nom\r\n14001,1,Évrecy\r\n14002,2,Orbec\r\n";
    expect((await run("g.csv.gz", gzipSync(Buffer.from(csv)))).status).toBe("done");
    expect((await rows()).map((r) => r.name)).toEqual(["Évrecy", "Orbec"]);
    const z = await run("h.zip", zip("donnees.csv", Buffer.from(csv.replace("Orbec", "Bayeux"))));
    expect(z.status).toBe("done");
    expect((await rows()).map((r) => r.name)).toEqual(["Évrecy", "Bayeux"]);
    const l = await run("i.csv", Buffer.from(csv.replace("Orbec", "Caen"), "latin1"));
    expect(l.encoding).toBe("windows-1252");
    expect((await rows()).map((r) => r.name)).toEqual(["Évrecy", "Caen"]);
    const s = await runImport({ database, importer, file: Readable.from([Buffer.from("code;valeur\n14003;3\n")]), fileName: "envoi.csv" });
    expect(s.status).toBe("done");
    expect(await rows()).toEqual([{ code: "14003", value: 3, name: null }]);
    expect((await run("j.zip", Buffer.from("PK\u0003\u0004 pas une archive"))).status).toBe("failed");
  });

  it("refuses a missing file with a French message", async () => {
    await expect(runImport({ database, importer, file: join(dir, "absent.csv") })).resolves.toMatchObject({ status: "failed", message: expect.stringMatching(/Fichier introuvable/) });
    expect(new ImportError("x").name).toBe("ImportError");
  });
});
