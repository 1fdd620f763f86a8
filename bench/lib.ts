// Helpers of the benchmark runner: child processes, memory sampling, raw HTTP, autocannon.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { request } from "node:http";
import { loadavg } from "node:os";
import autocannon from "autocannon";

/** Things to undo, last first, whatever happens (also on SIGINT/SIGTERM). */
export class Cleanup {
  private readonly steps: { name: string; fn: () => unknown }[] = [];
  add(name: string, fn: () => unknown) {
    this.steps.push({ name, fn });
  }
  async run() {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (e) {
        console.error(`nettoyage « ${step.name} » : ${(e as Error).message}`);
      }
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `node --import tsx <args>` (the node process itself, so its pid is the one to measure). */
export function startNode(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: new URL("..", import.meta.url).pathname, env: merged, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

/** Waits for a child to exit; returns its code. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once("exit", (code) => r(code)));
}

/** SIGTERM, then SIGKILL after a grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const done = await Promise.race([exited(child).then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    child.kill("SIGKILL");
    await exited(child);
  }
}

/** Runs a node script to completion; throws with its log's tail when it fails. */
export async function runNode(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const child = startNode(args, env, logFile);
  const code = await exited(child);
  if (code !== 0) throw new Error(`${args.join(" ")} a échoué (code ${code}) :\n${tail(logFile)}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(pas de journal)";
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds (from /proc). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat(5) (utime, stime), counted from after the command name; ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Samples VmRSS of a process every `everyMs`; `peak()` since the last `reset()`. */
export class RssSampler {
  private timer: NodeJS.Timeout;
  private peakSinceReset = 0;
  private peakOverall = 0;
  constructor(
    private readonly pid: number,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  status(): { rss: number; hwm: number } | undefined {
    try {
      const s = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? 0) * 1024;
      return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
    } catch {
      return undefined;
    }
  }
  sample() {
    const s = this.status();
    if (!s) return;
    this.peakSinceReset = Math.max(this.peakSinceReset, s.rss);
    this.peakOverall = Math.max(this.peakOverall, s.rss);
  }
  reset() {
    this.sample();
    this.peakSinceReset = this.status()?.rss ?? 0;
  }
  peak() {
    this.sample();
    return this.peakSinceReset;
  }
  overall() {
    this.sample();
    return this.peakOverall;
  }
  stop() {
    clearInterval(this.timer);
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

/** One GET on loopback, body left as sent (compressed if the server compressed it). */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: "GET", headers, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`délai dépassé : ${url}`)));
    req.on("error", reject);
    req.end();
  });
}

/** A POST of a urlencoded form (sign-in). */
export function rawPostForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<RawResponse> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      { method: "POST", agent: false, headers: { ...headers, "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Waits until GET url answers 200 (or the child dies). */
export async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs = 90_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`le serveur s'est arrêté au démarrage :\n${tail(logFile)}`);
    try {
      const r = await rawGet(url);
      if (r.status === 200) return performance.now() - started;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`le serveur ne répond pas après ${timeoutMs / 1000} s :\n${tail(logFile)}`);
}

export interface LoadResult {
  name: string;
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Count of each HTTP status seen. */
  statuses: Record<string, number>;
  total: number;
  bytesPerSec: number;
  peakRss?: number;
  load1: number;
  /** CPU time of the measured server per request (ms): less sensitive to other load than req/s. */
  cpuMsPerRequest?: number;
}

export interface LoadSpec {
  name: string;
  base: string;
  paths?: string[];
  /** A fresh path for every request (cache bypass). */
  nextPath?: () => string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  /** The server process whose CPU time is counted. */
  pid?: number;
}

/** One autocannon run. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const load1 = loadavg()[0];
  // One request template whose path turns over a shared counter: every connection walks the
  // whole list (autocannon's own list would restart at its first entry on each connection).
  const paths = spec.paths ?? ["/"];
  let i = 0;
  const nextPath = spec.nextPath ?? (() => paths[i++ % paths.length]);
  const requests: autocannon.Request[] = [{ method: "GET", setupRequest: (req) => ({ ...req, path: nextPath() }) }];
  const cpuBefore = spec.pid ? cpuMs(spec.pid) : NaN;
  const r = await autocannon({
    url: spec.base,
    connections: spec.connections,
    duration: spec.durationSec,
    headers: spec.headers,
    requests,
  });
  return {
    name: spec.name,
    requestsPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statuses: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count ?? 0])),
    total: r.requests.total,
    bytesPerSec: r.throughput.average,
    load1,
    cpuMsPerRequest: spec.pid && r.requests.total ? (cpuMs(spec.pid) - cpuBefore) / r.requests.total : undefined,
  };
}
