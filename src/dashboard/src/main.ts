import "./styles.css";
import { h } from "./dom";
import { parseRoute, startRouter, type Route } from "./router";
import { currentApi, signOut } from "./session";
import { compareView } from "./views/compare";
import { mediaView } from "./views/media";
import { projectView } from "./views/project";
import { projectsView } from "./views/projects";
import { runDetailView } from "./views/run-detail";
import { signInView } from "./views/sign-in";
import type { View } from "./views/view";

const root = document.getElementById("app")!;
let current: View | null = null;

function header(route: Route, signedIn: boolean) {
  const crumbs: (HTMLElement | string)[] = [h("a", { href: "/", "data-link": true, class: "brand" }, "Trackflare")];
  if ("project" in route) crumbs.push(h("span", { "aria-hidden": "true" }, "/"), h("a", { href: `/p/${encodeURIComponent(route.project)}`, "data-link": true }, route.project));
  return h(
    "header",
    { class: "topbar" },
    h("nav", { "aria-label": "Breadcrumb", class: "crumbs" }, crumbs),
    signedIn ? h("button", { type: "button", class: "link", id: "sign-out", onClick: () => signOut("Signed out.") }, "Sign out") : null,
  );
}

function render() {
  current?.dispose?.();
  let route = parseRoute();
  const api = currentApi();
  if (!api && route.view !== "signin") {
    history.replaceState(null, "", `/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
    route = { view: "signin" };
  }
  if (api && route.view === "signin") {
    history.replaceState(null, "", "/");
    route = { view: "projects" };
  }
  const ctx = { api: api! };
  current =
    route.view === "signin"
      ? signInView()
      : route.view === "projects"
        ? projectsView(ctx)
        : route.view === "project"
          ? projectView(ctx, route.project)
          : route.view === "compare"
            ? compareView(ctx, route.project)
            : route.view === "media"
              ? mediaView(ctx, route.project)
            : runDetailView(ctx, route.project, route.run);
  document.title = current.title;
  root.replaceChildren(header(route, !!api), current.el);
}

startRouter(render);
render();
