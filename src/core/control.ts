import { createConnection, createServer, type Server } from "node:net";
import { chmodSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "./db/client.ts";

/**
 * The local control socket: command-line tasks reach the embedded database through the running
 * server, since the data directory belongs to one process (ADR 0003). Only the local user who can
 * open the data directory can reach the socket (it is created mode 0600 inside DATA_DIR).
 */
/** Progress of a long command (an import): rows done so far, out of `total` when known (bytes or rows). */
export interface Progress {
  done: number;
  total?: number;
  /** What is counted, in French ("lignes", "octets"). */
  unit?: string;
  label?: string;
}

export interface CommandContext {
  /** Reports progress; shown on the command line (a bar on a terminal), whether local or through the server. */
  progress(p: Progress): void;
}

export type ControlCommand = (database: Database, args: Record<string, unknown>, ctx: CommandContext) => Promise<string>;

interface CommandEntry {
  run: ControlCommand;
  /** One line of `collines help`: the command line and what it does. */
  usage?: string;
}

const commands = new Map<string, CommandEntry>();
const NO_PROGRESS: CommandContext = { progress: () => {} };

/**
 * Registers a command that the CLI can run locally or through the running server. A name
 * `a.b` is run by `collines a b [--option value …]`.
 */
export function defineCommand(name: string, run: ControlCommand, usage?: string): void {
  commands.set(name, { run, usage });
}

/** Whether a command of that name is registered. */
export function hasCommand(name: string): boolean {
  return commands.has(name);
}

/** The usage lines of the registered commands that declared one. */
export function commandUsages(): string[] {
  return [...commands.values()].flatMap((c) => (c.usage ? [c.usage] : []));
}

/** Runs a registered command against a database. */
export async function runCommand(database: Database, name: string, args: Record<string, unknown>, ctx: CommandContext = NO_PROGRESS): Promise<string> {
  const cmd = commands.get(name);
  if (!cmd) throw new Error(`Commande inconnue : ${name}`);
  return cmd.run(database, args, ctx);
}

export const socketPath = (dataDir: string) => join(dataDir, "collines.sock");

/** Listens on DATA_DIR/collines.sock; one JSON request per connection, one JSON answer. */
export async function startControlServer(dataDir: string, database: Database): Promise<Server> {
  const path = socketPath(dataDir);
  if (existsSync(path)) rmSync(path);
  const server = createServer((conn) => {
    let buf = "";
    conn.setEncoding("utf8");
    conn.on("data", async (chunk) => {
      buf += chunk;
      if (buf.length > 1_000_000) return conn.destroy();
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      let reply: { ok: boolean; output?: string; error?: string };
      // Progress travels as lines of its own before the answer (at most a few per second).
      let lastProgress = 0;
      const ctx: CommandContext = {
        progress: (p) => {
          const now = Date.now();
          if (now - lastProgress < 200 || conn.destroyed) return;
          lastProgress = now;
          conn.write(`${JSON.stringify({ progress: p })}\n`);
        },
      };
      try {
        const req = JSON.parse(buf.slice(0, nl)) as { command: string; args: Record<string, unknown> };
        reply = { ok: true, output: await runCommand(database, req.command, req.args ?? {}, ctx) };
      } catch (e) {
        reply = { ok: false, error: (e as Error).message };
      }
      conn.end(`${JSON.stringify(reply)}\n`);
    });
    conn.on("error", () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ path, readableAll: false, writableAll: false }, () => resolve());
  });
  // Only the owner of the data directory may talk to the server (connecting needs write access).
  chmodSync(path, 0o600);
  return server;
}

/** Sends a command to the running server and returns its output; progress lines go to `ctx`. */
export function sendControlCommand(dataDir: string, command: string, args: Record<string, unknown>, ctx: CommandContext = NO_PROGRESS): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = createConnection(socketPath(dataDir));
    let buf = "";
    conn.setEncoding("utf8");
    conn.on("connect", () => conn.write(`${JSON.stringify({ command, args })}\n`));
    conn.on("data", (c) => {
      buf += c;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0 && buf.startsWith('{"progress"')) {
        try {
          ctx.progress((JSON.parse(buf.slice(0, nl)) as { progress: Progress }).progress);
        } catch {
          // A garbled progress line is not worth failing the command.
        }
        buf = buf.slice(nl + 1);
      }
    });
    conn.on("end", () => {
      try {
        const r = JSON.parse(buf) as { ok: boolean; output?: string; error?: string };
        if (r.ok) resolve(r.output ?? "");
        else reject(new Error(r.error));
      } catch {
        reject(new Error("Réponse illisible du serveur."));
      }
    });
    conn.on("error", (e) => reject(new Error(`Le serveur ne répond pas sur ${socketPath(dataDir)} : ${e.message}`)));
  });
}
