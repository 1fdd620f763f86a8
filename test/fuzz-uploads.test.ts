// Hostile uploads (issue 7), through the real upload routes (multipart, core/http/upload.ts): the
// type comes from the content (an HTML page named .pdf is refused), the size limit (MAX_UPLOAD_MB)
// gives a French refusal, an archive bomb (an XLSX that unpacks to 120 MB) is refused before any
// parser opens it, and a file name is never a path (../../etc/passwd). A refusal writes nothing.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRoutes } from "../src/modules/index.ts";
import { unpacksBeyond } from "../src/core/http/upload.ts";
import { createTestApp, REF, signedInClient, type Client, type TestApp } from "./helpers/app.ts";
import { rowCounts } from "./helpers/data.ts";

const DOC_ROUTE = "/t/:slug/gestion/actions/:id/suivi/documents";
const IMPORT_ROUTE = "/t/:slug/gestion/import";
const has = (url: string) => allRoutes().some((r) => r.method === "POST" && r.url === url);

/** A multipart body: text fields, then one file. */
function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; data: Buffer }) {
  const boundary = `----collines${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A ZIP with the given entries (deflated), as an XLSX/DOCX is. */
function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const comp = deflateRawSync(e.data, { level: 9 });
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(comp.length, 20);
    // The declared size lies (small): only inflating tells the truth.
    central.writeUInt32LE(Math.min(e.data.length, 1000), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, comp);
    centrals.push(central, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
);
/** An XLSX whose sheet unpacks to 120 MB (it weighs about 120 kB). */
function xlsxBomb(): Buffer {
  return zip([
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
    { name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(120 * 1024 * 1024, 0x20) },
  ]);
}
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe("hostile uploads", () => {
  let t: TestApp;
  let dataDir: string;
  let agent: Client;
  let admin: Client;
  let actionId: number;
  const TABLES = ["files", "plan_action_documents", "audit_log"];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-televersements-"));
    t = await createTestApp("pglite", { DATA_DIR: dataDir, MAX_UPLOAD_MB: "1" });
    agent = await signedInClient(t, { role: "agent", territory: REF });
    admin = await signedInClient(t, { role: "territory_admin", territory: REF });
    const [a] = await t.database.query<{ id: number }>("select a.id from plan_actions a join territories t on t.id = a.territory_id where t.slug = $1 order by a.id limit 1", [REF]);
    actionId = a.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const stored = () => (existsSync(join(dataDir, "files")) ? readdirSync(join(dataDir, "files"), { recursive: true }).map(String) : []);

  async function upload(client: Client, url: string, formPage: string, fields: Record<string, string>, file: { field: string; name: string; type: string; data: Buffer }) {
    const csrf = await client.csrf(formPage);
    const { payload, contentType } = multipart({ _csrf: csrf, ...fields }, file);
    return t.app.inject({ method: "POST", url, headers: { cookie: client.jar.header(), "content-type": contentType }, payload });
  }

  it.skipIf(!has(DOC_ROUTE))("sniffs the type from the content: an HTML page named .pdf is refused, nothing written", async () => {
    const before = await rowCounts(t.database, TABLES);
    const url = `/t/${REF}/gestion/actions/${actionId}/suivi/documents`;
    const res = await upload(agent, url, `/t/${REF}/gestion/actions/${actionId}/suivi`, { title: "Compte rendu", visibility: "draft" }, {
      field: "file",
      name: "compte-rendu.pdf",
      type: "application/pdf",
      data: Buffer.from("<!doctype html><html><script>alert(document.cookie)</script></html>"),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("Ce type de fichier n'est pas accepté");
    expect(await rowCounts(t.database, TABLES)).toEqual(before);
    expect(stored().filter((f) => !f.endsWith("/") && f.split("/").length > 2)).toEqual([]);
  });

  it.skipIf(!has(DOC_ROUTE))("refuses a file over MAX_UPLOAD_MB with a French message, nothing written", async () => {
    const before = await rowCounts(t.database, TABLES);
    const big = Buffer.concat([PDF, randomBytes(1.5 * 1024 * 1024)]);
    const res = await upload(agent, `/t/${REF}/gestion/actions/${actionId}/suivi/documents`, `/t/${REF}/gestion/actions/${actionId}/suivi`, { title: "Trop gros", visibility: "draft" }, {
      field: "file",
      name: "gros.pdf",
      type: "application/pdf",
      data: big,
    });
    expect([413, 422]).toContain(res.statusCode);
    expect(res.body).toContain("dépasse la taille autorisée (1 Mo)");
    expect(await rowCounts(t.database, TABLES)).toEqual(before);
  });

  it("detects an archive bomb by inflating, whatever sizes the archive declares", () => {
    expect(unpacksBeyond(xlsxBomb())).toBe(true);
    expect(unpacksBeyond(zip([{ name: "a.xml", data: Buffer.alloc(1024 * 1024, 0x20) }]))).toBe(false);
    expect(unpacksBeyond(PDF)).toBe(false);
    expect(unpacksBeyond(Buffer.from("PK\u0003\u0004 abîmé"))).toBe(false);
  });

  it.skipIf(!has(IMPORT_ROUTE))("refuses an XLSX bomb on the plan import before opening it, nothing written, the process unharmed", async () => {
    const before = await rowCounts(t.database, [...TABLES, "plan_actions"]);
    const rss = process.memoryUsage().rss;
    const res = await upload(admin, `/t/${REF}/gestion/import`, `/t/${REF}/gestion/import`, {}, {
      field: "fichier",
      name: "plan.xlsx",
      type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      data: xlsxBomb(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/dépasse|décompressé/);
    expect(await rowCounts(t.database, [...TABLES, "plan_actions"])).toEqual(before);
    expect(process.memoryUsage().rss - rss).toBeLessThan(400 * 1024 * 1024);
    expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(200);
  });

  it.skipIf(!has(DOC_ROUTE))("refuses an archive bomb as a document with its own message", async () => {
    const before = await rowCounts(t.database, TABLES);
    const res = await upload(agent, `/t/${REF}/gestion/actions/${actionId}/suivi/documents`, `/t/${REF}/gestion/actions/${actionId}/suivi`, { title: "Bombe", visibility: "draft" }, {
      field: "file",
      name: "tableau.xlsx",
      type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      data: xlsxBomb(),
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("une fois décompressé, dépasse 100 Mo");
    expect(await rowCounts(t.database, TABLES)).toEqual(before);
  });

  it.skipIf(!has(DOC_ROUTE))("never uses a file name as a path: ../../etc/passwd.pdf is stored by its checksum, shown cleaned", async () => {
    const res = await upload(agent, `/t/${REF}/gestion/actions/${actionId}/suivi/documents`, `/t/${REF}/gestion/actions/${actionId}/suivi`, { title: "Chemin piégé", visibility: "draft" }, {
      field: "file",
      name: "../../etc/passwd.pdf",
      type: "application/pdf",
      data: PDF,
    });
    expect(res.statusCode).toBe(303);
    const [row] = await t.database.query<{ original_name: string; sha256: string }>("select original_name, sha256 from files order by id desc limit 1");
    expect(row.original_name).toBe("passwd.pdf");
    const files = stored().filter((f) => /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f));
    expect(files).toContain(`${row.sha256.slice(0, 2)}/${row.sha256.slice(2, 4)}/${row.sha256}`);
    expect(readdirSync(join(dataDir, "..")).some((f) => f.includes("passwd"))).toBe(false);
    expect(existsSync(join(dataDir, "etc"))).toBe(false);
  });
});
