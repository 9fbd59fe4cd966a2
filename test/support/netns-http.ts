/**
 * HTTP from inside a test namespace. The test process cannot open a socket in another namespace, and
 * starting a node child per request is slow on a loaded machine, so one long-lived child per
 * namespace takes requests as JSON lines on stdin and answers on stdout. Each request opens a fresh
 * connection (no keep-alive): a VIP that moved must not be hidden by a socket to its old holder.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { NetnsTopology } from './netns.ts';

const AGENT = `
const http = require('node:http');
const lines = require('node:readline').createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, method, url, body, timeoutMs } = JSON.parse(line);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  let done = false;
  const reply = (result) => {
    if (done) return;
    done = true;
    process.stdout.write(JSON.stringify({ id, at: Date.now(), ...result }) + '\\n');
  };
  const headers = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  const request = http.request(url, { method, agent: false, headers }, (response) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => { text += chunk; });
    response.on('end', () => reply({ status: response.statusCode, text }));
    response.on('error', (error) => reply({ error: error.code || error.message }));
  });
  request.setTimeout(timeoutMs, () => request.destroy(new Error('no answer within ' + timeoutMs + ' ms')));
  request.on('error', (error) => reply({ error: error.code || error.message }));
  request.end(payload);
});
lines.on('close', () => process.exit(0));
`;

export type HttpReply =
  | { readonly ok: true; readonly status: number; readonly body: unknown; readonly at: number }
  | { readonly ok: false; readonly error: string; readonly at: number };

export interface HttpRequest {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  /** Default 2 000 ms. */
  readonly timeoutMs?: number;
}

interface AgentLine {
  readonly id: number;
  readonly at: number;
  readonly status?: number;
  readonly text?: string;
  readonly error?: string;
}

/** An HTTP client living in one namespace. */
export class NetnsHttp {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (reply: HttpReply) => void>();
  private nextId = 1;
  private exited = false;

  constructor(
    topology: NetnsTopology,
    readonly ns: string,
  ) {
    this.child = topology.spawn(ns, [process.execPath, '-e', AGENT]);
    let stderr = '';
    this.child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.settle(JSON.parse(line)));
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      const error = `the HTTP agent in ${ns} exited (${code ?? signal}): ${stderr}`;
      for (const resolve of this.pending.values()) resolve({ ok: false, error, at: Date.now() });
      this.pending.clear();
    });
  }

  /** Sends a request; never rejects: a failure to connect or a timeout is `{ok: false, error}`. */
  request(request: HttpRequest): Promise<HttpReply> {
    if (this.exited)
      return Promise.resolve({ ok: false, error: `agent in ${this.ns} is gone`, at: Date.now() });
    const id = this.nextId++;
    const line = {
      id,
      method: request.method ?? 'GET',
      url: request.url,
      body: request.body,
      timeoutMs: request.timeoutMs ?? 2_000,
    };
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin?.write(`${JSON.stringify(line)}\n`);
    });
  }

  /** GETs JSON; undefined unless the answer is a 2xx with a JSON body. */
  async getJson<T>(url: string, timeoutMs?: number): Promise<T | undefined> {
    const reply = await this.request({ url, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    return reply.ok && reply.status < 300 ? (reply.body as T) : undefined;
  }

  /** Ends the agent. Idempotent. */
  close(): void {
    this.child.stdin?.end();
  }

  private settle(line: AgentLine): void {
    const resolve = this.pending.get(line.id);
    if (resolve === undefined) return;
    this.pending.delete(line.id);
    if (line.error !== undefined || line.status === undefined) {
      resolve({ ok: false, error: line.error ?? 'no status', at: line.at });
      return;
    }
    resolve({ ok: true, status: line.status, body: parseJson(line.text ?? ''), at: line.at });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
