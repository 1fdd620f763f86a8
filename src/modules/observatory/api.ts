// The observatory module's public surface for other modules: the one indicator model of the
// platform (the action sheets' indicators read its series).
export { indicators, observations, importRuns, GEO_LEVELS, PERIODICITIES, AGGREGATIONS, OBSERVATION_STATUSES, type GeoLevel } from "./schema.ts";
export { territorySeries } from "./queries.ts";
