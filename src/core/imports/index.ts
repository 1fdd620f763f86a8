// The streaming import framework of the platform (ADR 0016): every importer goes through it.
export { ImportError } from "./errors.ts";
export { checkHeader, type CheckedHeader, type HeaderSpec } from "./header.ts";
export { detectDelimiter, looksUtf8, openImportSource, type OpenedSource } from "./source.ts";
export {
  cleanupStaleImports,
  formatReport,
  runImport,
  SKIP,
  type ImportContext,
  type Importer,
  type ImportReport,
  type ReaderHooks,
  type Rejection,
  type RowHandler,
  type RowOutcome,
  type RunImportOptions,
  type StageType,
} from "./run.ts";
