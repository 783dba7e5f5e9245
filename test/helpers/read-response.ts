/** A response as tests look at it: status, parsed JSON (null when not JSON), raw text, headers. */
export type ReadResponse = { status: number; json: any; text: string; headers: Headers };

export async function readResponse(res: Response): Promise<ReadResponse> {
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}
