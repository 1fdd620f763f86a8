// A real OpenID Connect provider (panva's oidc-provider) on loopback, shaped like ProConnect:
// claims given_name, usual_name, email, siret, uid returned by the userinfo endpoint, PKCE required,
// client_secret_post. Its development login and consent pages are driven with plain HTTP.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync } from "node:crypto";
import Provider, { type Adapter, type AdapterPayload, type Configuration } from "oidc-provider";

export const OIDC_CLIENT_ID = "collines-test";
export const OIDC_CLIENT_SECRET = "collines-test-secret-0123456789abcdef";
export const OIDC_REDIRECT_URI = "http://localhost:3000/connexion/oidc/retour";

export interface TestIdentity {
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  usual_name?: string;
  siret?: string;
  uid?: string;
}

export interface TestProvider {
  issuer: string;
  /** The people the provider knows, by login (= `sub`); tests change them between sign-ins. */
  accounts: Map<string, TestIdentity>;
  /** The environment variables that configure the app for this provider. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The provider's storage, in memory (one per provider): its default, declared so that it does not warn. */
function memoryAdapter() {
  const stores = new Map<string, Map<string, { payload: AdapterPayload; expiresAt: number }>>();
  return class MemoryAdapter implements Adapter {
    private store: Map<string, { payload: AdapterPayload; expiresAt: number }>;
    constructor(name: string) {
      this.store = stores.get(name) ?? new Map();
      stores.set(name, this.store);
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      this.store.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
    }
    async find(id: string) {
      const hit = this.store.get(id);
      return hit && hit.expiresAt > Date.now() ? hit.payload : undefined;
    }
    async findByUserCode(userCode: string) {
      return [...this.store.values()].find((v) => v.payload.userCode === userCode)?.payload;
    }
    async findByUid(uid: string) {
      return [...this.store.values()].find((v) => v.payload.uid === uid)?.payload;
    }
    async consume(id: string) {
      const hit = this.store.get(id);
      if (hit) hit.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      this.store.delete(id);
    }
    async revokeByGrantId(grantId: string) {
      for (const [k, v] of this.store) if (v.payload.grantId === grantId) this.store.delete(k);
    }
  };
}

/**
 * Starts the provider on 127.0.0.1 and a free port. `redirectUris` are the callbacks the client may
 * use (by default the one of an app at http://localhost:3000, as the HTTP tests configure it).
 */
export async function startTestProvider(opts: { redirectUris?: string[] } = {}): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestIdentity>();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: opts.redirectUris ?? [OIDC_REDIRECT_URI],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      given_name: ["given_name"],
      usual_name: ["usual_name"],
      siret: ["siret"],
      uid: ["uid"],
    },
    scopes: ["openid", "email", "given_name", "usual_name", "siret", "uid"],
    findAccount: (_ctx, sub) => {
      const identity = accounts.get(sub);
      if (!identity) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...identity }) };
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true, methods: ["S256"] },
    jwks: { keys: [{ ...(privateKey.export({ format: "jwk" }) as object), kid: "test", alg: "RS256", use: "sig" }] as never },
    cookies: { keys: ["collines-test-cookie-key"] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    adapter: memoryAdapter(),
    // Errors as short JSON, so that a failing test shows what the provider refused.
    renderError: (ctx, out) => {
      ctx.type = "json";
      ctx.body = out;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on("request", callback);
  return {
    issuer,
    accounts,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A tiny cookie jar for the provider's own cookies (they do not collide by name across paths). */
class Jar {
  private cookies = new Map<string, string>();
  store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split("=")[1]).getTime() < Date.now()) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** The first form of a page: its action and hidden fields. */
function firstForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`Pas de formulaire dans la page du fournisseur : ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1];
    if (name && value !== undefined) fields[name] = value;
  }
  return { action: form[1].replace(/&amp;/g, "&"), fields };
}

/**
 * Plays the person at the provider: from the authorization URL, signs in as `login` on the
 * development login page, accepts the consent page, and returns the URL the provider sends the
 * browser back to (our callback, with `code` and `state`, or with `error`).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const jar = new Jar();
  let url = authorizationUrl;
  let method: "GET" | "POST" = "GET";
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(OIDC_REDIRECT_URI)) return url;
    const res = await fetch(url, {
      method,
      redirect: "manual",
      headers: { cookie: jar.header(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body,
    });
    jar.store(res);
    method = "GET";
    body = undefined;
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`Le fournisseur a répondu ${res.status} : ${html.slice(0, 300)}`);
    const form = firstForm(html);
    const fields = { ...form.fields };
    if (fields.prompt === "login") Object.assign(fields, { login, password: "peu-importe" });
    url = new URL(form.action, url).href;
    method = "POST";
    body = new URLSearchParams(fields).toString();
  }
  throw new Error("Trop d'étapes chez le fournisseur d'identité.");
}
