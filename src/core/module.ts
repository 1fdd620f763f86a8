import type { Database } from "./db/client.ts";
import type { RouteDef } from "./http/registry.ts";

/** A business capability: its routes, its policy (registered on import) and its seeds. */
export interface ModuleDef {
  id: string;
  routes: RouteDef[];
  /** Idempotent: fills what this module owns for the seeded territories. */
  seed?: (database: Database) => Promise<void>;
}

/** Declares a module (a typed identity, so manifests read alike). */
export function defineModule(def: ModuleDef): ModuleDef {
  return def;
}
