import fs from "node:fs";
import path from "node:path";

// Reads the code blocks of a README, so that the tests run the snippets exactly as written and a
// change to the README is a change to what is tested.

export const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The fenced blocks of `lang` under the `#` or `##` heading `section` of a Markdown file (relative
 * to the repo), up to the next such heading. Lines inside fences are never headings (`# comment`).
 */
export function codeBlocks(file: string, section: string, lang: string): string[] {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const blocks: { lang: string; lines: string[] }[] = [];
  let inSection = false;
  let fence: { lang: string; lines: string[] } | null = null;
  for (const line of lines) {
    if (fence) {
      if (line.startsWith("```")) fence = null;
      else fence.lines.push(line);
    } else if (line.startsWith("```")) {
      fence = { lang: line.slice(3).trim(), lines: [] };
      if (inSection) blocks.push(fence);
    } else if (/^#{1,2} /.test(line)) inSection = line.replace(/^#+ /, "").trim() === section;
  }
  const found = blocks.filter((b) => b.lang === lang).map((b) => b.lines.join("\n") + "\n");
  if (!found.length) throw new Error(`${file}, section '${section}': no \`\`\`${lang} block`);
  return found;
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
