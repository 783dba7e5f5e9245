import { Api, ApiError, keyStore } from "./api";
import { h } from "./dom";
import { navigate } from "./router";

/** Why the sign-in page is showing (a rejected key, a sign-out), read once by that page. */
let notice: string | null = null;

export const BAD_KEY_MESSAGE = "This API key was not accepted (401 Unauthorized). Check the key, or ask an admin for a new one.";

export function takeNotice(): string | null {
  const n = notice;
  notice = null;
  return n;
}

export function currentApi(): Api | null {
  const key = keyStore.get();
  return key ? new Api(key) : null;
}

export function signOut(message: string | null = null) {
  keyStore.clear();
  // Several requests of one page can fail with the same 401: the first one moves to sign-in.
  if (location.pathname === "/signin") return;
  notice = message;
  navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
}

/**
 * Shows a failed request where the data would have been. A 401 means the stored key went bad
 * (revoked, or a different server): back to sign-in with the reason.
 */
export function errorBox(err: unknown): HTMLElement {
  if (err instanceof ApiError && err.status === 401) {
    queueMicrotask(() => signOut(BAD_KEY_MESSAGE));
    return h("p", { class: "error", role: "alert" }, BAD_KEY_MESSAGE);
  }
  if (err instanceof DOMException && err.name === "AbortError") return h("span");
  const text = err instanceof ApiError ? `${err.message} (${err.status} ${err.code})` : `Could not reach the server: ${String(err)}`;
  return h("p", { class: "error", role: "alert" }, text);
}
