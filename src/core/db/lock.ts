import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Thrown when another live process already holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    public readonly pid: number,
    dataDir: string,
  ) {
    super(
      `Le répertoire de données ${dataDir} est déjà utilisé par un autre processus Collines (pid ${pid}).\n` +
        "La base embarquée (PGlite) n'accepte qu'un seul processus : deux serveurs perdraient des écritures.\n" +
        "Arrêtez l'autre serveur, ou passez les commandes par lui (collines user add … s'y adresse tout seul).",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface DataDirLock {
  path: string;
  release(): void;
}

/** Reads the pid of the process holding the lock, if it is alive. */
export function lockHolder(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "collines.lock"), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes an exclusive lock on the data directory: a lock file created with O_EXCL holding our
 * pid. A lock left by a dead process (kill -9) is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, "collines.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, "utf8").trim() === String(process.pid)) rmSync(path);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return { path, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = lockHolder(dataDir);
      if (holder !== undefined && holder !== process.pid) throw new DataDirLockedError(holder, dataDir);
      // Stale lock from a process that died: remove it and try again.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Impossible de verrouiller ${dataDir}`);
}
