// The territories module's public surface for other modules.
export { listTerritories, loadAuthorities, loadAgreement, loadGovernance, loadContacts, loadProgramme } from "./queries/territory.ts";
export { DEMO_SLUG } from "./demo-data.ts";
export { territories, territoryAuthorities, governanceBodies, governanceMembers } from "./schema.ts";
