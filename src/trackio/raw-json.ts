/**
 * An endpoint's answer that is already JSON text (built where the data lives, e.g. by SQLite):
 * the route writes it into `{"data": …}` as it is instead of parsing and re-encoding it.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The body of a `200 {"data": …}` answer. */
export const dataBody = (data: unknown): string => (data instanceof RawJson ? `{"data":${data.text}}` : JSON.stringify({ data: data ?? null }));
