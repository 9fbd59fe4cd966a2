/**
 * The HTTP client of taskctl over Node's fetch: JSON in and out, the bearer token on every request,
 * a bound on how long one request may take, and every failure turned into one of exit-codes.ts.
 */
import { ApiError, InterruptedError, UnreachableError, UsageError } from './exit-codes.ts';

/** How long one request may take before taskctl reports the endpoint as unreachable. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  readonly endpoint: string;
  readonly token?: string;
  readonly fetch: typeof fetch;
  /** Aborted by Ctrl-C. */
  readonly signal?: AbortSignal;
}

export interface ApiClient {
  readonly endpoint: string;
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** A client for `endpoint`; throws UsageError when it is not an http(s) URL. */
export function createApiClient(options: ClientOptions): ApiClient {
  const endpoint = checkedEndpoint(options.endpoint);
  return {
    endpoint,
    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
      const sent = body === undefined ? undefined : JSON.stringify(body);
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(`${endpoint}${path}`, {
          method,
          headers,
          signal,
          ...(sent !== undefined && { body: sent }),
        });
        text = await response.text();
      } catch (error) {
        if (options.signal?.aborted) throw new InterruptedError('interrupted');
        const reason = reasonOf(error, timeout.aborted);
        throw new UnreachableError(`cannot reach ${endpoint}: ${reason}${cutShortHint(error, sent)}`);
      }
      const parsed = parseJson(text);
      if (!response.ok) throw new ApiError(response.status, describeError(response, parsed), parsed);
      return parsed as T;
    },
  };
}

function checkedEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint ${JSON.stringify(endpoint)} is not a URL (e.g. http://127.0.0.1:7070)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be http:// or https:// (got ${url.protocol})`);
  }
  return endpoint.replace(/\/+$/, '');
}

/** The most specific reason fetch gives: undici wraps the socket error as `cause`. */
function reasonOf(error: unknown, timedOut: boolean): string {
  if (timedOut) return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A node refuses a body over its api.bodyLimitBytes (413) from the length alone and closes the
 * connection: a client still sending the body may then fail to write (EPIPE, ECONNRESET) before it
 * reads the answer. Said, with the body's size, when a request with a body fails that way.
 */
function cutShortHint(error: unknown, sent: string | undefined): string {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  if (sent === undefined || (code !== 'EPIPE' && code !== 'ECONNRESET')) return '';
  const bytes = Buffer.byteLength(sent);
  // No node's limit is below 1 KiB (config schema): a smaller body was cut short for another reason.
  if (bytes <= 1_024) return '';
  return ` (the node closed the connection while the ${bytes}-byte request was being sent: a body over its api.bodyLimitBytes, 1 MiB by default, is refused that way)`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(response: Response, body: unknown): string {
  const problem = body as { message?: unknown; requestId?: unknown } | undefined;
  const message =
    typeof problem?.message === 'string' ? problem.message : `${response.status} ${response.statusText}`;
  const retryAfter = response.headers.get('retry-after');
  const parts = [message];
  if (response.status === 401) parts.push('(pass --token or set TASKD_API_TOKEN)');
  if (retryAfter !== null) parts.push(`(retry after ${retryAfter} s)`);
  if (response.status >= 500 && typeof problem?.requestId === 'string') {
    parts.push(`(request id ${problem.requestId})`);
  }
  return `server answered ${response.status}: ${parts.join(' ')}`;
}
