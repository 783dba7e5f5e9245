import fs from "node:fs";
import path from "node:path";
import { TEST_DASHBOARD } from "./test-dashboard.ts";

// wrangler reads `.dev.vars` beside the config file it is given, and `npm start` writes the
// developer's admin key there: the tests must not run with whatever a developer keeps in it.
// So the worker tests get a copy of wrangler.toml one directory down, with its paths pointing
// back at the repository, where no `.dev.vars` exists, and its assets at the tests' own build of
// the dashboard (test-dashboard.ts; the worker tests only need the directory to exist).

/** The keys of wrangler.toml whose values are paths relative to the file. */
const PATH_KEYS = ["main", "directory", "migrations_dir", "base_dir", "tsconfig"];

export function isolatedWranglerConfig(root: string): string {
  const dir = path.join(root, "test/.tmp/wrangler");
  fs.mkdirSync(dir, { recursive: true });
  const up = path.relative(dir, root);
  const toml = fs
    .readFileSync(path.join(root, "wrangler.toml"), "utf8")
    .replace(/^#:schema .*\n/, "")
    .replace(new RegExp(`^(\\s*(?:${PATH_KEYS.join("|")})\\s*=\\s*")(?:\\./)?([^"]+)"`, "gm"), (_, key, p) => `${key}${path.posix.join(up, p)}"`);
  fs.mkdirSync(TEST_DASHBOARD, { recursive: true });
  const assets = path.relative(dir, TEST_DASHBOARD);
  const withAssets = toml.replace(/^(\s*directory\s*=\s*")[^"]*"/m, (_, key) => `${key}${assets}"`);
  const file = path.join(dir, "wrangler.toml");
  fs.writeFileSync(file, withAssets);
  return file;
}
