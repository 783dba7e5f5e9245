/** Encodes one path segment (project names are safe; run names and metric names may not be). */
export const seg = (s: string) => encodeURIComponent(s);
