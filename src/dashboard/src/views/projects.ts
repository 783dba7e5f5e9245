import { ago, h } from "../dom";
import { projectPath } from "../router";
import { errorBox } from "../session";
import type { View, ViewContext } from "./view";

export function projectsView({ api }: ViewContext): View {
  const body = h("div", { "aria-busy": "true" }, h("p", { class: "hint" }, "Loading projects…"));
  const el = h("main", { class: "page" }, h("h1", {}, "Projects"), body);
  api.projects().then(
    (projects) => {
      body.removeAttribute("aria-busy");
      if (!projects.length) {
        body.replaceChildren(h("p", { class: "empty-state" }, "No projects yet. Start a run with the SDK or the Trackio client and it will appear here."));
        return;
      }
      const rows = projects.map((p) =>
        h(
          "tr",
          { "data-project": p.name },
          h("td", {}, h("a", { href: projectPath(p.name), "data-link": true }, p.name)),
          h("td", { class: "num" }, p.num_runs),
          h("td", {}, ago(p.last_activity)),
          h("td", {}, ago(p.created_at)),
        ),
      );
      body.replaceChildren(
        h(
          "table",
          { class: "table", id: "projects-table" },
          h("caption", { class: "sr-only" }, "Projects"),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Project"), h("th", { scope: "col", class: "num" }, "Runs"), h("th", { scope: "col" }, "Last activity"), h("th", { scope: "col" }, "Created"))),
          h("tbody", {}, rows),
        ),
      );
    },
    (err) => body.replaceChildren(errorBox(err)),
  );
  return { el, title: "Projects · Trackflare" };
}
