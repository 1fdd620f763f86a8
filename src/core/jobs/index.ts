import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../db/client.ts";

/**
 * Periodic jobs of the server process. Each run takes a PostgreSQL advisory lock in its
 * transaction, so with several processes on one database a job runs once at a time.
 */
export interface Job {
  name: string;
  /** Numeric key of the advisory lock. */
  lockKey: number;
  everyMs: number;
  run(database: Database): Promise<string>;
}

const jobs: Job[] = [];

/** Declares a periodic job (modules call it on import). */
export function defineJob(job: Job): void {
  if (!jobs.some((j) => j.name === job.name)) jobs.push(job);
}

export function listJobs(): Job[] {
  return [...jobs];
}

/** Runs a job now if no other process is running it; returns its report (or why it did not run). */
export async function runJob(database: Database, name: string): Promise<string> {
  const job = jobs.find((j) => j.name === name);
  if (!job) throw new Error(`Tâche inconnue : ${name} (tâches : ${jobs.map((j) => j.name).join(", ")})`);
  // A session lock must be taken and released on the same connection: hold one aside from the pool.
  const client = database.pool ? await database.pool.connect() : undefined;
  const query = (sql: string) => (client ? client.query(sql, [job.lockKey]).then((r) => r.rows) : database.query(sql, [job.lockKey]));
  try {
    const rows = (await query("select pg_try_advisory_lock($1) as locked")) as { locked: boolean }[];
    if (!rows[0]?.locked) return `${name} : déjà en cours dans un autre processus.`;
    try {
      return await job.run(database);
    } finally {
      await query("select pg_advisory_unlock($1)");
    }
  } finally {
    client?.release();
  }
}

/** Starts every job on its interval (first run after one interval); returns a stop function. */
export function startJobs(database: Database, log: FastifyBaseLogger): () => void {
  const timers = jobs.map((job) => {
    const t = setInterval(() => {
      runJob(database, job.name).then(
        (report) => log.info({ job: job.name, report }, "job done"),
        (err: Error) => log.error({ job: job.name, err: err.message }, "job failed"),
      );
    }, job.everyMs);
    t.unref();
    return t;
  });
  return () => timers.forEach(clearInterval);
}

