import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/helpers/app.ts";
import type { Database } from "../db/client.ts";
import { files } from "../db/schema.ts";
import { cleanFileName, sniffKind, storagePath, storeFile, UploadRejected } from "./index.ts";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe("core/files", () => {
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    dir = mkdtempSync(join(tmpdir(), "collines-files-"));
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sniffs the kind from the content, not the name", async () => {
    expect(await sniffKind(PNG)).toBe("png");
    expect(await sniffKind(PDF)).toBe("pdf");
    expect(await sniffKind(Buffer.from("a;b\r\n1;2\r\n"))).toBe("csv");
    expect(await sniffKind(Buffer.from([0x00, 0xff, 0xfe, 0x00]))).toBeUndefined();
  });

  it("stores once by checksum and records the upload", async () => {
    const opts = { dataDir: dir, territoryId: null, uploadedBy: null, originalName: "../../etc/passwd.png", allowed: ["png" as const], maxBytes: 1024 * 1024 };
    const a = await storeFile(database.db, PNG, opts);
    const b = await storeFile(database.db, PNG, opts);
    expect(a.sha256).toBe(b.sha256);
    expect(a.originalName).toBe("passwd.png");
    expect(readFileSync(storagePath(dir, a.sha256)).equals(PNG)).toBe(true);
    expect((await database.db.select().from(files)).length).toBe(2);
  });

  it("refuses a disguised, empty or oversized file with a French message", async () => {
    const base = { dataDir: dir, territoryId: null, uploadedBy: null, originalName: "x.pdf", maxBytes: 100 };
    await expect(storeFile(database.db, PNG, { ...base, allowed: ["pdf"] })).rejects.toThrow(/type de fichier n'est pas accepté/);
    await expect(storeFile(database.db, Buffer.alloc(0), { ...base, allowed: ["pdf"] })).rejects.toThrow(UploadRejected);
    await expect(storeFile(database.db, Buffer.alloc(200, 65), { ...base, allowed: ["csv"] })).rejects.toThrow(/taille autorisée/);
  });

  it("cleans names of paths, control and bidi characters", () => {
    expect(cleanFileName("C:\\x\\rapport\u202e.pdf")).toBe("rapport.pdf");
    expect(cleanFileName("\u0000")).toBe("fichier");
  });
});
