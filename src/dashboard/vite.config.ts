import path from "node:path";
import { defineConfig } from "vite";

// The dashboard is static assets served by the Worker (wrangler.toml [assets]); no CDN.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  build: { outDir: path.join(import.meta.dirname, "../../dist/dashboard"), emptyOutDir: true, target: "es2022" },
});
