import { createContext } from "preact";

/** What every page of a request may need without threading props: CSRF token, flash, path. */
export interface RequestView {
  csrfToken: () => string;
  flash?: string;
  path: string;
}

export const RequestContext = createContext<RequestView>({ csrfToken: () => "", path: "" });
