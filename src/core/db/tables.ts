// Every table of the application, gathered for Drizzle's relational queries and for tests.
export * from "./schema.ts";
export * from "../../modules/geography/schema.ts";
export * from "../../modules/territories/schema.ts";
export * from "../../modules/plan/schema.ts";
export * from "../../modules/observatory/schema.ts";
export * from "../../modules/governance/schema.ts";
export * from "../../modules/companies/schema.ts";
export * from "../../modules/participation/schema.ts";
