import type { Api } from "../api";

/** What every page returns: its element, a document title, and how to stop its timers and sockets. */
export type View = { el: HTMLElement; title: string; dispose?: () => void };
export type ViewContext = { api: Api };
