// Lint: typescript-eslint's recommended rules, plus the module boundary of DESIGN.md:
// a module imports core/ and other modules' api.ts only (schema.ts may reference another
// module's schema.ts for foreign keys).
import { dirname, relative, resolve, sep } from "node:path";
import tseslint from "typescript-eslint";

const modulesRoot = resolve("src/modules");

const moduleBoundary = {
  meta: { type: "problem", messages: { boundary: "Le module « {{from}} » ne peut importer de « {{to}} » que son api.ts (ici : {{path}})." } },
  create(context) {
    const file = context.filename;
    const relFile = relative(modulesRoot, file);
    if (relFile.startsWith("..") || !relFile.includes(sep)) return {};
    const from = relFile.split(sep)[0];
    const check = (node) => {
      const spec = node.source && node.source.value;
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = relative(modulesRoot, resolve(dirname(file), spec));
      if (target.startsWith("..") || !target.includes(sep)) return;
      const [to, ...rest] = target.split(sep);
      if (to === from) return;
      const path = rest.join("/");
      if (path === "api.ts" || (path === "schema.ts" && relFile.endsWith(`${sep}schema.ts`))) return;
      context.report({ node, messageId: "boundary", data: { from, to, path } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  { ignores: ["node_modules/", "data/", ".tmp/", "migrations/", "coverage/", "bench/results/", "public/"] },
  ...tseslint.configs.recommended,
  {
    plugins: { collines: { rules: { "module-boundary": moduleBoundary } } },
    rules: {
      "collines/module-boundary": "error",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
);
