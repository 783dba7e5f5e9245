import { defineConfig } from "drizzle-kit";

// Flat NNNN_name.sql files: wrangler and readD1Migrations read only top-level *.sql.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
