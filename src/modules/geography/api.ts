// The geography module's public surface: national reference tables (shared, no territory_id).
export { regions, departements, epcis, communes, communeContours } from "./schema.ts";
export { seedGeography, CONTOURS_SOURCE } from "./seed.ts";
