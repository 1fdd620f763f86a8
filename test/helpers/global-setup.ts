// Once per test run: a migrated, seeded PGlite template (dumped to a file) and a PostgreSQL
// cluster with a migrated, seeded template database. Test files clone them (< 1 s each).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openPglite, openPostgres } from "../../src/core/db/client.ts";
import { prepareDatabase } from "../../src/setup.ts";
import { startPgCluster } from "../../scripts/lib/pg-cluster.mjs";

export const TMP_DIR = join(process.cwd(), ".tmp");

export default async function setup(project: TestProject) {
  mkdirSync(TMP_DIR, { recursive: true });
  const pglite = await openPglite(undefined);
  await prepareDatabase(pglite);
  const dump = await pglite.pglite!.dumpDataDir("none");
  const templatePath = join(TMP_DIR, `pglite-template-${process.pid}.tar`);
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide("pgliteTemplate", templatePath);

  let cluster: { url: string; stop(): void } | undefined;
  if (process.env.COLLINES_TEST_PG !== "off") {
    cluster = await startPgCluster();
    try {
      const admin = await openPostgres(cluster.url, { max: 1 });
      await admin.exec("CREATE DATABASE collines_template");
      await admin.close();
      const templateUrl = cluster.url.replace(/\/postgres$/, "/collines_template");
      const tpl = await openPostgres(templateUrl, { max: 1 });
      try {
        await prepareDatabase(tpl);
      } finally {
        await tpl.close();
      }
    } catch (e) {
      // A failed migration or seed must not leave a server running nor hang vitest's exit.
      cluster.stop();
      rmSync(templatePath, { force: true });
      throw e;
    }
    project.provide("pgUrl", cluster.url);
  } else {
    project.provide("pgUrl", "");
  }
  return () => {
    cluster?.stop();
    rmSync(templatePath, { force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgUrl: string;
  }
}
