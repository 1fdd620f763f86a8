// The route registry is the single list from which routes, permissions, the OpenAPI document and
// the audit expectations derive: check its rules once for every route of every module.
import { describe, expect, it } from "vitest";
import { allRoutes, modules } from "../src/modules/index.ts";
import { declaredPermissions } from "../src/core/authz/index.ts";

/** POST routes that write no business data, hence no audit entry — each with its reason. */
const AUDIT_EXEMPT: Record<string, string> = {
  "POST /connexion": "writes only throttling counters and the session; an audit row per sign-in would also bump the content version (anonymous cache busting)",
  "POST /deconnexion": "deletes the visitor's own session only",
  "POST /mot-de-passe-oublie":
    "writes a one-time token and throttling counters for an anonymous visitor; an audit entry would bump the content version and let anyone invalidate every cache",
  "POST /connexion/lien":
    "writes throttling counters and, for an existing account, a one-time sign-in link for an anonymous visitor; same reason as the reset request",
  "POST /connexion/lien/:token": "uses up a one-time sign-in link and opens a session: a sign-in, like POST /connexion",
  "POST /t/:slug/inscription":
    "writes throttling counters and a one-time confirmation link for an anonymous visitor; the confirmation (POST /t/:slug/inscription/:token) writes the audit entries",
  "POST /t/:slug/questions":
    "the public question form adds a question to the staff's inbox for an anonymous visitor (trap field, minimal time, per-address and per-e-mail limits); an audit entry would bump the content version and let anyone empty every cache; what the staff then do with it is audited",
};

const routes = allRoutes();
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe("route registry", () => {
  it("has routes from every module", () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const m of modules) expect(m.id).toMatch(/^[a-z]+$/);
  });

  it("gives every route a known permission: public, signed_in or one declared by a policy", () => {
    const declared = new Set(declaredPermissions());
    const unknown = routes.filter((r) => r.permission !== "public" && r.permission !== "signed_in" && !declared.has(r.permission)).map((r) => `${key(r)} → ${r.permission}`);
    expect(unknown).toEqual([]);
    for (const p of declared) expect(p).toMatch(/^[a-z]+(\.[a-z_]+){2}$/);
  });

  it("has no duplicate method and URL", () => {
    const seen = new Map<string, number>();
    for (const r of routes) seen.set(key(r), (seen.get(key(r)) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([k]) => k)).toEqual([]);
    // Fastify would also clash on the same path with differently named parameters.
    const shapes = new Map<string, string>();
    for (const r of routes) {
      const shape = `${r.method} ${r.url.replace(/:[A-Za-z]+/g, ":")}`;
      expect(shapes.get(shape) ?? r.url, `${key(r)} clashes with ${shapes.get(shape)}`).toBe(r.url);
      shapes.set(shape, r.url);
    }
  });

  it("makes every POST route name what it audits, except a short explained list", () => {
    const missing = routes.filter((r) => r.method === "POST" && !r.audit && !(key(r) in AUDIT_EXEMPT)).map(key);
    expect(missing).toEqual([]);
    // The exemptions still exist and still do not audit (otherwise drop them from the list).
    for (const k of Object.keys(AUDIT_EXEMPT)) {
      const r = routes.find((x) => key(x) === k);
      expect(r, k).toBeDefined();
      expect(r?.audit, k).toBeUndefined();
    }
    for (const r of routes.filter((x) => x.audit)) expect(r.audit).toMatch(/^[a-z_]+$/);
  });

  it("keeps every mutation behind a permission or a one-time token, never open to anyone", () => {
    const publicPosts = routes.filter((r) => r.method === "POST" && r.permission === "public").map(key);
    for (const k of publicPosts) {
      const explained = k in AUDIT_EXEMPT || /:token\b/.test(k);
      expect(explained, `${k} is public: it needs a token in its URL or an explained exemption`).toBe(true);
    }
  });

  it("describes every route in French and keeps back-office pages out of the cache", () => {
    for (const r of routes) {
      expect(r.summary.length, key(r)).toBeGreaterThan(3);
      expect(r.url.startsWith("/"), key(r)).toBe(true);
      if (r.cache) {
        expect(r.method, key(r)).toBe("GET");
        expect(r.permission, `${key(r)} is cached: it must be public`).toBe("public");
        expect(r.url, key(r)).not.toMatch(/gestion/);
      }
      if (r.url.includes("/gestion")) expect(r.permission, key(r)).not.toBe("public");
      if (r.openapi) expect(r.permission, key(r)).toBe("public");
      if (r.url.includes(":slug/") || r.url.endsWith(":slug")) expect(r.params, `${key(r)} declares its params`).toBeDefined();
    }
  });
});
