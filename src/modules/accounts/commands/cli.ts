import { randomBytes } from "node:crypto";
import { asc } from "drizzle-orm";
import { defineCommand } from "../../../core/control.ts";
import { ANONYMOUS } from "../../../core/authz/index.ts";
import { users, ROLES, type Role } from "../../../core/db/schema.ts";
import { createUser, UserInputError } from "./users.ts";
import { modules } from "../../index.ts";
import { runJob } from "../../../core/jobs/index.ts";

const CLI = { actor: ANONYMOUS, role: "cli" };

defineCommand("user.add", async (database, args) => {
  const email = typeof args.email === "string" ? args.email : "";
  const name = typeof args.name === "string" ? args.name : email.split("@")[0];
  if (!email) throw new UserInputError("Indiquez --email.");
  const generated = typeof args.password !== "string";
  const password = generated ? randomBytes(15).toString("base64url") : (args.password as string);
  let membership: { territorySlug: string; role: Role } | undefined;
  if (args.territory !== undefined) {
    const role = (typeof args.role === "string" ? args.role : "agent") as Role;
    if (!ROLES.includes(role)) throw new UserInputError(`Rôle inconnu : ${role} (rôles : ${ROLES.join(", ")}).`);
    membership = { territorySlug: String(args.territory), role };
  }
  const user = await database.db.transaction((tx) =>
    createUser(tx, CLI, { email, displayName: name, password, isPlatformAdmin: args["platform-admin"] === true, membership }),
  );
  return `Compte créé : ${user.email} (n° ${user.id})${generated ? `\nMot de passe provisoire : ${password}` : ""}`;
});

defineCommand("user.list", async (database) => {
  const rows = await database.db.select().from(users).orderBy(asc(users.id));
  if (!rows.length) return "Aucun compte.";
  return rows.map((u) => `${u.id}\t${u.email}\t${u.displayName}${u.isPlatformAdmin ? "\tadministrateur de la plateforme" : ""}`).join("\n");
});

defineCommand("seed", async (database) => {
  for (const m of modules) if (m.seed) await m.seed(database);
  return "Territoires de référence et de démonstration à jour.";
});

defineCommand("job.run", async (database, args) => runJob(database, String(args.name ?? "")));
