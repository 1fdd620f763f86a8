import { resolve as resolvePath } from "node:path";
import { loadConfig } from "./config.ts";
import { DataDirLockedError, lockHolder } from "./core/db/lock.ts";
import { commandUsages, hasCommand, runCommand, sendControlCommand, startControlServer, type CommandContext } from "./core/control.ts";
import { terminalProgress } from "./core/cli-progress.ts";
import { openDatabase, prepareDatabase } from "./setup.ts";
import { buildApp } from "./app.ts";
import { listJobs, startJobs } from "./core/jobs/index.ts";
import { firstAdminLink } from "./modules/accounts/api.ts";
import "./cli-commands.ts";
import { OPS_USAGE, runOpsCommand } from "./core/ops/cli.ts";

const usage = () => `Usage : collines <commande>

  serve                      démarre le serveur (migrations et données de référence comprises)
  migrate                    applique les migrations en attente
  seed                       charge les territoires de référence et de démonstration (idempotent)
  user add --email E --name N [--platform-admin] [--territory SLUG --role agent|territory_admin|committee_member|industrialist]
                             crée un compte ; le mot de passe est lu sur l'entrée standard
                             (ou généré et affiché s'il n'y en a pas)
  user list                  liste les comptes
  jobs run retention         ferme maintenant les comptes inactifs (durée fixée dans Paramètres)
  jobs run cleanup           supprime les sessions expirées, vieilles tentatives et liens périmés
  jobs run NOM               lance maintenant une tâche planifiée (${listJobs().map((j) => j.name).join(", ")})
${[...OPS_USAGE, ...commandUsages()].map((u) => `  ${u}\n`).join("")}
Variables : PORT, DATA_DIR, DATABASE_URL, BASE_URL, SMTP_URL, MAIL_FROM, OIDC_*, LOG_LEVEL (voir README).`;

/** Options naming files: made absolute here, since the running server that may execute the command has its own directory. */
const PATH_ARGS = new Set(["file", "etablissements", "unites-legales"]);

/**
 * `--key value` options (`--flag` alone is true); words before or between them are kept in `_`
 * (e.g. `collines observatoire import insee-populations --file F`); `--file` is made absolute
 * from the caller's directory, since the running server may read it from another one.
 */
function parseArgs(argv: string[]): Record<string, string | boolean | string[]> {
  const out: Record<string, string | boolean | string[]> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      words.push(a);
      continue;
    }
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) out[key] = true;
    else {
      out[key] = PATH_ARGS.has(key) ? resolvePath(next) : next;
      i++;
    }
  }
  if (words.length) out._ = words;
  return out;
}

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const s = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  return s || undefined;
}

async function serve() {
  const config = loadConfig();
  const { database, lock } = await openDatabase(config);
  await prepareDatabase(database);
  const app = await buildApp({ config, database });
  const control = lock ? await startControlServer(config.dataDir, database) : undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "arrêt : fin des requêtes en cours");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      control?.close();
      await app.close();
      await database.close();
    } finally {
      lock?.release();
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // Hooks must be added before listen(): Fastify refuses them once it listens.
  const jobs = { stop: () => {} };
  app.addHook("onClose", async () => jobs.stop());
  await app.listen({ port: config.port, host: config.host });
  jobs.stop = startJobs(database, app.log);
  const link = await firstAdminLink(database, config.baseUrl);
  if (link) {
    console.log(`\nAucun compte n'existe encore. Créez le premier administrateur de la plateforme ici (lien à usage unique, valable 24 heures) :\n\n  ${link}\n`);
  }
  console.log(`Collines est prêt : ${config.baseUrl} (base ${database.kind === "pglite" ? `embarquée dans ${config.dataDir}` : "PostgreSQL"})`);
}

/** Runs a CLI task on the database: through the running server when one holds DATA_DIR. */
async function task(command: string, args: Record<string, unknown>) {
  const config = loadConfig();
  const progress = terminalProgress();
  const ctx: CommandContext = { progress: progress.update };
  if (!config.databaseUrl && lockHolder(config.dataDir) !== undefined) {
    return sendControlCommand(config.dataDir, command, args, ctx).finally(progress.stop);
  }
  const { database, lock } = await openDatabase(config);
  try {
    await prepareDatabase(database);
    return await runCommand(database, command, args, ctx);
  } finally {
    progress.stop();
    await database.close();
    lock?.release();
  }
}

async function main() {
  const [cmd, sub, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case "serve":
      return serve();
    case "migrate": {
      const config = loadConfig();
      if (!config.databaseUrl && lockHolder(config.dataDir) !== undefined) {
        throw new Error("Le serveur tourne déjà sur ce répertoire de données : il a appliqué les migrations à son démarrage.");
      }
      const { database, lock } = await openDatabase(config);
      await prepareDatabase(database, { seed: false });
      await database.close();
      lock?.release();
      console.log("Migrations appliquées.");
      return;
    }
    case "seed":
      console.log(await task("seed", {}));
      return;
    case "jobs": {
      if (sub === "run" && rest[0]) {
        console.log(await task("job.run", { name: rest[0] }));
        return;
      }
      break;
    }
    case "user": {
      const args = parseArgs(rest);
      if (sub === "add") {
        const password = await readStdin();
        console.log(await task("user.add", { ...args, password }));
        return;
      }
      if (sub === "list") {
        console.log(await task("user.list", {}));
        return;
      }
      break;
    }
    case "backup":
    case "restore":
      console.log(await runOpsCommand(cmd, parseArgs([sub, ...rest].filter((a): a is string => a !== undefined))));
      return;
    case undefined:
    case "help":
    case "--help":
      console.log(usage());
      return;
    default: {
      // Commands the modules register: `collines a b --x y` runs `a.b`, `collines a --x y` runs `a`.
      if (sub && !sub.startsWith("--") && hasCommand(`${cmd}.${sub}`)) {
        console.log(await task(`${cmd}.${sub}`, parseArgs(rest)));
        return;
      }
      if (hasCommand(cmd)) {
        console.log(await task(cmd, parseArgs([sub, ...rest].filter((a): a is string => a !== undefined))));
        return;
      }
    }
  }
  console.error(`Commande inconnue : ${[cmd, sub].filter(Boolean).join(" ")}\n\n${usage()}`);
  process.exitCode = 2;
}

main().catch((e) => {
  if (e instanceof DataDirLockedError) console.error(`\n${e.message}\n`);
  else console.error(`Erreur : ${(e as Error).message}`);
  process.exit(1);
});
