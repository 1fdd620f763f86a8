// Starts a throw-away PostgreSQL cluster from Debian's binaries, for tests and benchmarks.
// initdb refuses to run as root, so the cluster belongs to the `postgres` user (runuser).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The directory of Debian's PostgreSQL binaries (the newest installed major). */
export function pgBinDir() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => existsSync(join(root, d, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0], "bin") : undefined;
}

/** Installs missing Debian packages (apt-get), saying so. Returns false when it cannot. */
export function ensureDebianPackages(packages, log = console.log) {
  const missing = packages.filter((p) => spawnSync("dpkg-query", ["-W", "-f=${Status}", p], { encoding: "utf8" }).stdout?.includes("install ok installed") !== true);
  if (!missing.length) return true;
  log(`Installation des paquets Debian manquants : ${missing.join(", ")} (apt-get, une fois)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  if (update.status !== 0) return false;
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "inherit", env });
  return install.status === 0;
}

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function asPostgres(cmd, args, opts = {}) {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe", ...opts }) : execFileSync(cmd, args, { stdio: "pipe", ...opts });
}

/**
 * Creates and starts a cluster in a temporary directory on a free port (trust auth on loopback).
 * Returns its URL (database `postgres`) and a stop() that removes everything.
 */
export async function startPgCluster({ fsync = false } = {}) {
  const bin = pgBinDir();
  if (!bin) throw new Error("PostgreSQL n'est pas installé (paquet Debian postgresql).");
  const dir = mkdtempSync(join(tmpdir(), "collines-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const port = await freePort();
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  asPostgres(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync ? "on" : "off"} -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB`;
  asPostgres(join(bin, "pg_ctl"), ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      /* already stopped */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, port, dir, data, bin, stop, restart: () => asPostgres(join(bin, "pg_ctl"), ["-D", data, "-o", opts, "-l", join(dir, "log"), "-w", "-t", "60", "restart"]) };
}
