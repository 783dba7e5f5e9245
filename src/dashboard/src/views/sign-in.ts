import { Api, ApiError, keyStore } from "../api";
import { h } from "../dom";
import { navigate } from "../router";
import { BAD_KEY_MESSAGE, takeNotice } from "../session";
import type { View } from "./view";

/** The key stays in this browser (localStorage) and travels only as a Bearer header. */
export function signInView(): View {
  const notice = takeNotice();
  const message = h("p", { id: "signin-message", class: notice === BAD_KEY_MESSAGE ? "error" : "hint", role: "alert" }, notice ?? "");
  const input = h("input", {
    id: "api-key",
    name: "api-key",
    type: "password",
    autocomplete: "current-password",
    required: true,
    spellcheck: "false",
    "aria-describedby": "signin-message signin-help",
  });
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    {
      class: "signin card",
      "aria-labelledby": "signin-title",
      onSubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const key = input.value.trim();
        if (!key) return;
        button.disabled = true;
        message.className = "hint";
        message.textContent = "Checking the key…";
        try {
          await new Api(key).projects();
          keyStore.set(key);
          const next = new URL(location.href).searchParams.get("next");
          navigate(next && next.startsWith("/") && !next.startsWith("/signin") ? next : "/", { replace: true });
        } catch (err) {
          message.className = "error";
          message.textContent = err instanceof ApiError && err.status === 401 ? BAD_KEY_MESSAGE : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`;
          input.focus();
          input.select();
        } finally {
          button.disabled = false;
        }
      },
    },
    h("h1", { id: "signin-title" }, "Sign in to Trackflare"),
    h("label", { for: "api-key" }, "API key"),
    input,
    h("p", { id: "signin-help", class: "hint" }, "A read key is enough. It is kept in this browser only."),
    button,
    message,
  );
  queueMicrotask(() => input.focus());
  return { el: h("main", { class: "center" }, form), title: "Sign in · Trackflare" };
}
