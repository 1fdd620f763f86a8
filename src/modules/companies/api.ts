// The companies module's public surface for other modules.
export { companies, establishments, companyContacts, companyUsers } from "./schema.ts";
