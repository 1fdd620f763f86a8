import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../../core/db/client.ts";
import { recordAudit, diff, type AuditContext } from "../../../core/audit/index.ts";
import { checkbox, optionalText, textField } from "../../../core/forms/index.ts";
import { compactIdentifier, isValidCommuneCode, isValidSiren, isValidSiret } from "../../../core/formats/identifiers.ts";
import { communes } from "../../geography/api.ts";
import { companies, companyContacts, establishments } from "../schema.ts";
import { CONSENT_SOURCES, LEGAL_CATEGORIES, nafLabel, nafSection, normaliseNaf, WORKFORCE_BANDS } from "../model.ts";
import { FormError, isUniqueViolation, NotFoundError } from "./errors.ts";
import { refreshSearch } from "./search-text.ts";

const empty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const sirenField = z
  .string({ error: "Indiquez le numéro SIREN." })
  .transform((s) => compactIdentifier(s))
  .refine((s) => /^\d{9}$/.test(s), { error: "Le numéro SIREN compte 9 chiffres, par exemple 732 829 320." })
  .refine((s) => isValidSiren(s), { error: "Ce numéro SIREN n'existe pas : un chiffre est sans doute erroné (clé de contrôle)." });

const siretField = z
  .string({ error: "Indiquez le numéro SIRET." })
  .transform((s) => compactIdentifier(s))
  .refine((s) => /^\d{14}$/.test(s), { error: "Le numéro SIRET compte 14 chiffres, par exemple 732 829 320 00074." })
  .refine((s) => isValidSiret(s), { error: "Ce numéro SIRET n'existe pas : un chiffre est sans doute erroné (clé de contrôle)." });

const nafField = z.preprocess(
  empty,
  z
    .string()
    .transform((s, ctx) => {
      const n = normaliseNaf(s);
      if (!n || !nafLabel(n)) {
        ctx.addIssue({ code: "custom", message: "Indiquez un code NAF rév. 2 de la nomenclature de l'INSEE, par exemple 25.62B." });
        return z.NEVER;
      }
      return n;
    })
    .optional(),
);

const legalFormField = z.preprocess(
  empty,
  z
    .string()
    .trim()
    .refine((s) => s in LEGAL_CATEGORIES, { error: "Choisissez une forme juridique dans la liste." })
    .optional(),
);

/** The form to create a company by hand. */
export const companyCreateForm = z.object({
  siren: sirenField,
  name: textField("le nom de l'entreprise", { max: 200 }),
  legalForm: legalFormField,
  nafCode: nafField,
  coBuilder: checkbox,
  notes: optionalText("les notes", { max: 4000 }),
});

/** The form to edit a company: everything but its SIREN. */
export const companyEditForm = companyCreateForm.omit({ siren: true });

export type CompanyInput = z.infer<typeof companyEditForm>;

function companyValues(input: CompanyInput) {
  return {
    name: input.name,
    legalForm: input.legalForm ?? null,
    legalFormLabel: input.legalForm ? (LEGAL_CATEGORIES[input.legalForm] ?? null) : null,
    nafCode: input.nafCode ?? null,
    coBuilder: input.coBuilder,
    notes: input.notes,
  };
}

/** Creates a company entered by an agent (source « manual »). */
export async function createCompany(tx: Tx, ctx: AuditContext, territoryId: number, input: z.infer<typeof companyCreateForm>) {
  const values = companyValues(input);
  let row;
  try {
    [row] = await tx.insert(companies).values({ territoryId, siren: input.siren, source: "manual", ...values }).returning();
  } catch (e) {
    if (isUniqueViolation(e)) throw new FormError({ siren: "Une entreprise de ce territoire a déjà ce numéro SIREN." });
    throw e;
  }
  await refreshSearch(tx, territoryId, [row.id]);
  await recordAudit(tx, ctx, { territoryId, action: "create", entity: "company", entityId: row.id, after: { siren: row.siren, ...values } });
  return row;
}

/** Changes a company's name, legal form, activity, co-building mark and notes. */
export async function updateCompany(tx: Tx, ctx: AuditContext, territoryId: number, id: number, input: CompanyInput) {
  const [before] = await tx.select().from(companies).where(and(eq(companies.id, id), eq(companies.territoryId, territoryId))).for("update");
  if (!before) throw new NotFoundError();
  const values = companyValues(input);
  const changes = diff(before as unknown as Record<string, unknown>, values);
  if (!changes) return { changed: false };
  await tx.update(companies).set({ ...values, updatedAt: new Date() }).where(eq(companies.id, id));
  await refreshSearch(tx, territoryId, [id]);
  await recordAudit(tx, ctx, { territoryId, action: "update", entity: "company", entityId: id, ...changes });
  return { changed: true };
}

/** The form to add an establishment by hand. */
export const establishmentForm = z.object({
  siret: siretField,
  name: optionalText("le nom de l'établissement", { max: 200 }),
  nafCode: nafField,
  workforceBand: z.preprocess(empty, z.enum(Object.keys(WORKFORCE_BANDS) as [string, ...string[]], { error: "Choisissez une tranche d'effectifs dans la liste." }).optional()),
  address: optionalText("l'adresse", { max: 300 }),
  postcode: z.preprocess(empty, z.string().trim().regex(/^\d{5}$/, { error: "Le code postal compte 5 chiffres." }).optional()),
  communeCode: z
    .string({ error: "Indiquez le code INSEE de la commune." })
    .trim()
    .toUpperCase()
    .refine((s) => isValidCommuneCode(s), { error: "Le code INSEE d'une commune compte 5 caractères, par exemple 61169 (Flers) ou 2A004 (Ajaccio)." }),
  headOffice: checkbox,
});

/** Adds an establishment entered by hand to a company; its SIRET must start with the company's SIREN. */
export async function addEstablishment(tx: Tx, ctx: AuditContext, territoryId: number, companyId: number, input: z.infer<typeof establishmentForm>) {
  const [company] = await tx.select({ id: companies.id, siren: companies.siren }).from(companies).where(and(eq(companies.id, companyId), eq(companies.territoryId, territoryId)));
  if (!company) throw new NotFoundError();
  if (!input.siret.startsWith(company.siren)) throw new FormError({ siret: `Le SIRET d'un établissement de cette entreprise commence par son SIREN ${company.siren}.` });
  const [commune] = await tx.select({ code: communes.code }).from(communes).where(eq(communes.code, input.communeCode));
  if (!commune) throw new FormError({ communeCode: "Aucune commune n'a ce code INSEE dans le code officiel géographique." });
  const values = {
    siret: input.siret,
    name: input.name,
    nafCode: input.nafCode ?? null,
    nafSection: nafSection(input.nafCode),
    workforceBand: input.workforceBand ?? null,
    headOffice: input.headOffice,
    address: input.address,
    postcode: input.postcode ?? null,
    communeCode: input.communeCode,
  };
  let row;
  try {
    [row] = await tx.insert(establishments).values({ territoryId, companyId, ...values }).returning();
  } catch (e) {
    if (isUniqueViolation(e)) throw new FormError({ siret: "Un établissement de ce territoire a déjà ce numéro SIRET." });
    throw e;
  }
  await refreshSearch(tx, territoryId, [companyId]);
  await recordAudit(tx, ctx, { territoryId, action: "create", entity: "establishment", entityId: row.id, after: { companyId, ...values } });
  return row;
}

/** Marks an establishment closed or open again. */
export async function setEstablishmentActive(tx: Tx, ctx: AuditContext, territoryId: number, companyId: number, id: number, active: boolean) {
  const [e] = await tx.select().from(establishments).where(and(eq(establishments.id, id), eq(establishments.companyId, companyId), eq(establishments.territoryId, territoryId)));
  if (!e) throw new NotFoundError();
  if (e.active === active) return;
  await tx.update(establishments).set({ active, updatedAt: new Date() }).where(eq(establishments.id, id));
  await refreshSearch(tx, territoryId, [companyId]);
  await recordAudit(tx, ctx, { territoryId, action: "update", entity: "establishment", entityId: id, before: { active: e.active }, after: { active } });
}

const phoneField = z.preprocess(
  empty,
  z
    .string()
    .trim()
    .max(30, { error: "Le numéro de téléphone est trop long." })
    .refine((s) => /^\+?[0-9 .()-]{6,}$/.test(s), { error: "Indiquez un numéro de téléphone, par exemple 02 33 00 00 00." })
    .optional(),
);

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Indiquez la date au format AAAA-MM-JJ." })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T12:00:00Z`)) && new Date(`${d}T12:00:00Z`).toISOString().startsWith(d), { error: "Cette date n'existe pas." });

/** The form of a contact: the consent (date and how) is required when the box is ticked. */
export const contactForm = z
  .object({
    name: textField("le nom du contact", { max: 200 }),
    role: optionalText("la fonction", { max: 200 }),
    email: z.preprocess(empty, z.string().trim().toLowerCase().max(254).pipe(z.email({ error: "Indiquez une adresse électronique valide, par exemple nom@exemple.fr." })).optional()),
    phone: phoneField,
    consent: checkbox,
    consentDate: z.preprocess(empty, day.optional()),
    consentSource: z.preprocess(empty, z.enum(Object.keys(CONSENT_SOURCES) as [string, ...string[]], { error: "Choisissez comment l'accord a été recueilli." }).optional()),
  })
  .superRefine((v, ctx) => {
    if (!v.consent) return;
    if (!v.consentDate) ctx.addIssue({ code: "custom", path: ["consentDate"], message: "Indiquez la date à laquelle la personne a donné son accord." });
    else if (v.consentDate > new Date().toISOString().slice(0, 10)) ctx.addIssue({ code: "custom", path: ["consentDate"], message: "La date de l'accord ne peut pas être dans le futur." });
    if (!v.consentSource) ctx.addIssue({ code: "custom", path: ["consentSource"], message: "Choisissez comment l'accord a été recueilli." });
  });

export type ContactInput = z.infer<typeof contactForm>;

function contactValues(input: ContactInput) {
  return {
    name: input.name,
    role: input.role,
    email: input.email ?? null,
    phone: input.phone ?? null,
    consentAt: input.consent && input.consentDate ? new Date(`${input.consentDate}T12:00:00Z`) : null,
    consentSource: input.consent ? (input.consentSource ?? null) : null,
  };
}

/** Adds a contact to a company. */
export async function addContact(tx: Tx, ctx: AuditContext, territoryId: number, companyId: number, input: ContactInput) {
  const [company] = await tx.select({ id: companies.id }).from(companies).where(and(eq(companies.id, companyId), eq(companies.territoryId, territoryId)));
  if (!company) throw new NotFoundError();
  const values = contactValues(input);
  const [row] = await tx.insert(companyContacts).values({ territoryId, companyId, ...values }).returning();
  await recordAudit(tx, ctx, { territoryId, action: "create", entity: "company_contact", entityId: row.id, after: { companyId, ...values } });
  return row;
}

/** Changes a contact of a company. */
export async function updateContact(tx: Tx, ctx: AuditContext, territoryId: number, companyId: number, id: number, input: ContactInput) {
  const [before] = await tx
    .select()
    .from(companyContacts)
    .where(and(eq(companyContacts.id, id), eq(companyContacts.companyId, companyId), eq(companyContacts.territoryId, territoryId)));
  if (!before) throw new NotFoundError();
  const values = contactValues(input);
  const changes = diff(before as unknown as Record<string, unknown>, values);
  if (!changes) return { changed: false };
  await tx.update(companyContacts).set(values).where(eq(companyContacts.id, id));
  await recordAudit(tx, ctx, { territoryId, action: "update", entity: "company_contact", entityId: id, ...changes });
  return { changed: true };
}

/** Deletes a contact (the person asked to be forgotten, or left the company). */
export async function deleteContact(tx: Tx, ctx: AuditContext, territoryId: number, companyId: number, id: number) {
  const [before] = await tx
    .select()
    .from(companyContacts)
    .where(and(eq(companyContacts.id, id), eq(companyContacts.companyId, companyId), eq(companyContacts.territoryId, territoryId)));
  if (!before) throw new NotFoundError();
  await tx.delete(companyContacts).where(eq(companyContacts.id, id));
  await recordAudit(tx, ctx, { territoryId, action: "delete", entity: "company_contact", entityId: id, before: { companyId, name: before.name, role: before.role } });
}
