import { definePolicy, isPlatformAdmin } from "../../core/authz/index.ts";

/** Accounts: only the platform admin lists every territory's back-office. */
export const accountsPolicy = definePolicy({
  "accounts.platform.manage": (a) => isPlatformAdmin(a),
});
