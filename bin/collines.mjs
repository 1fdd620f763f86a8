#!/usr/bin/env node
// The `collines` command: runs src/main.ts through tsx (no build step, see ADR 0001).
import { register } from "tsx/esm/api";
register();
await import("../src/main.ts");
