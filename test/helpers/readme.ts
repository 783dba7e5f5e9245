import fs from "node:fs";
import path from "node:path";

// Reads the code blocks of a README, so that the tests run the snippets exactly as written and a
// change to the README is a change to what is tested.

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The fenced blocks of `lang` under the `## section` heading of a Markdown file (relative to the repo). */
export function codeBlocks(file: string, section: string, lang: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const start = text.search(new RegExp(`^## ${section.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`, "m"));
  if (start < 0) throw new Error(`${file} has no section '## ${section}'`);
  const rest = text.slice(start + 3);
  const end = rest.search(/^## /m);
  const body = end < 0 ? rest : rest.slice(0, end);
  const blocks = [...body.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === lang).map((m) => m[2]);
  if (!blocks.length) throw new Error(`${file}, '## ${section}': no \`\`\`${lang} block`);
  return blocks;
}

/** The shell commands of a block: continuation lines joined, comments and blank lines dropped. */
export function shellCommands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => stripComment(line).trim())
    .filter(Boolean);
}

/** Drops a trailing `# comment` that is outside quotes. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}
