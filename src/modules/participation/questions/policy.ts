import { definePolicy, isTerritoryStaff } from "../../../core/authz/index.ts";

/** Questions: anyone asks (public form); the territory's staff answer them and publish the FAQ. */
export const questionsPolicy = definePolicy({
  "participation.question.manage": isTerritoryStaff,
});
