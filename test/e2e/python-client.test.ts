import fs from "node:fs";
import { beforeAll, describe, inject, it } from "vitest";
import { PY_TESTS, preparePython, pytest } from "../helpers/python";

// The Python client's pytest suite (sdk/python/tests), one file per test here, against the server the
// e2e setup started. The setup makes its own virtualenv; the Transformers file is skipped, with pytest's
// reason, where transformers/torch are not installed (`bash .ci/run` installs them).

const files = fs.readdirSync(PY_TESTS).filter((f) => /^test_.*\.py$/.test(f)).sort();

describe("Python client (pytest)", () => {
  beforeAll(async () => {
    await preparePython();
  }, 600_000);

  it("has test files", ({ expect }) => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    it(file, { timeout: 900_000 }, async ({ expect, skip }) => {
      const r = await pytest(`tests/${file}`, { TRACKFLARE_TEST_URL: inject("baseUrl"), TRACKFLARE_TEST_TOKEN: inject("adminToken") });
      const failed = r.cases.filter((c) => c.outcome === "failed");
      expect(failed.map((c) => c.name), r.output).toEqual([]);
      expect(r.cases.length, r.output).toBeGreaterThan(0);
      const allSkipped = r.cases.every((c) => c.outcome === "skipped");
      // pytest exits 5 when a module skips itself at import (nothing collected).
      expect(r.code, r.output).toBe(allSkipped && r.code === 5 ? 5 : 0);
      if (allSkipped) {
        // `-rs` prints each skip's reason; JUnit only says "collection skipped" for a module-level skip.
        const why = /SKIPPED \[\d+\] [^:]+:\d+: (.+)/.exec(r.output)?.[1] ?? r.cases[0].message;
        console.warn(`[python-client.test.ts] ${file} skipped: ${why}`);
        skip(why);
      }
    });
  }
});
