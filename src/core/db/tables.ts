// Every table of the application, gathered for Drizzle's relational queries and for tests.
export * from "./schema.ts";
export * from "../../modules/geography/schema.ts";
export * from "../../modules/territories/schema.ts";
export * from "../../modules/plan/schema.ts";
