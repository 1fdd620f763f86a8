// The pilots' weekly digest as a periodic job: checked every 15 minutes, it sends this week's
// digests not sent yet, the week starting on Monday at 07:00 (Europe/Paris). `collines jobs run
// digest` runs it at once.
import { loadConfig } from "../../../config.ts";
import { defineJob } from "../../../core/jobs/index.ts";
import { Mailer } from "../../../core/mail/index.ts";
import { sendDigests } from "./digest.ts";

defineJob({
  name: "digest",
  lockKey: 730_201,
  everyMs: 15 * 60_000,
  run: (database) => {
    // Jobs run in the server process: the mailer is built from the environment the server read.
    const config = loadConfig();
    return sendDigests(database.db, { baseUrl: config.baseUrl, mailer: new Mailer(config) });
  },
});
