/** An import that cannot go on (unreadable file, wrong header…): its French message is shown as is. */
export class ImportError extends Error {
  override name = "ImportError";
}
