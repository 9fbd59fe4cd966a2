/**
 * The few API calls the chaos workload makes, with a bound on each: a paused node accepts the
 * connection and answers nothing, and a client must give up on it and try another node.
 */

export type ApiReply =
  | { readonly ok: true; readonly status: number; readonly body: Record<string, unknown> | undefined }
  | { readonly ok: false; readonly error: string };

/** POSTs JSON to `endpoint + path`; a network error or a timeout is a reply with `ok: false`. */
export async function postJson(
  endpoint: string,
  path: string,
  body: unknown,
  timeoutMs = 2_500,
): Promise<ApiReply> {
  try {
    const response = await fetch(`${endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { ok: true, status: response.status, body: parseObject(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
