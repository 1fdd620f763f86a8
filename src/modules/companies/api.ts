// The companies module's public surface for other modules.
export { companies, establishments, companyContacts, companyUsers } from "./schema.ts";
export {
  findCompanyBySiret,
  linkUserToCompany,
  confirmCompanyLink,
  removeCompanyLink,
  companyOfUser,
  type CompanySummary,
  type LinkVia,
} from "./commands/links.ts";
export { companyDisplayName, RESTRICTED, WORKFORCE_BANDS, nafLabel, nafSection, isIndustry } from "./model.ts";
