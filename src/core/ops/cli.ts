// Operations commands: `collines backup` and `collines restore` (see docs/operations.md).
import { resolve } from "node:path";
import { loadConfig } from "../../config.ts";
import { defineCommand, sendControlCommand } from "../control.ts";
import { lockHolder } from "../db/lock.ts";
import { openDatabase } from "../../setup.ts";
import { createBackup, restoreBackup } from "./backup.ts";

// Run by the server that holds DATA_DIR (embedded database), through the control socket.
defineCommand("ops.backup", async (database, args) => createBackup(database, String(args.dataDir), String(args.out)));

export const OPS_USAGE = [
  "backup [--out FICHIER]     sauvegarde la base et les fichiers déposés dans une archive (serveur en marche ou non)",
  "restore --from FICHIER     restaure une sauvegarde dans un DATA_DIR vide (ou une base PostgreSQL vide), serveur arrêté",
];

function defaultName(): string {
  const d = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `collines-sauvegarde-${d}.tar`;
}

/** `collines backup` / `collines restore`: paths resolved here, in the caller's directory. */
export async function runOpsCommand(cmd: "backup" | "restore", args: Record<string, unknown>): Promise<string> {
  const config = loadConfig();
  if (cmd === "backup") {
    const out = resolve(typeof args.out === "string" ? args.out : defaultName());
    // The embedded database belongs to the running server: ask it. Otherwise open it ourselves
    // (without migrating: a backup taken before an upgrade keeps the previous schema).
    if (!config.databaseUrl && lockHolder(config.dataDir) !== undefined) {
      return sendControlCommand(config.dataDir, "ops.backup", { out, dataDir: config.dataDir });
    }
    const { database, lock } = await openDatabase(config);
    try {
      return await createBackup(database, config.dataDir, out);
    } finally {
      await database.close();
      lock?.release();
    }
  }
  if (typeof args.from !== "string") throw new Error("Indiquez la sauvegarde à restaurer : collines restore --from FICHIER");
  return restoreBackup(resolve(args.from), { dataDir: config.dataDir, databaseUrl: config.databaseUrl });
}
