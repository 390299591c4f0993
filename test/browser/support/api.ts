// Calling the served API from a browser test's setup, as JSON over fetch (the page under test talks to
// the same server; supertest would go around it).
export interface Json {
  [key: string]: unknown;
}

/** The status and JSON body of `method path`, whatever the status. */
export async function sendJson(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; ok: boolean; body: Json }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, ok: res.ok, body: (await res.json()) as Json };
}

/** The JSON body of `method path`; a refusal fails the setup with what the API said. */
export async function callJson(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Json> {
  const res = await sendJson(baseUrl, method, path, body, headers);
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
