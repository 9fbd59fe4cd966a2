/**
 * A relay process that carries TCP connections between network namespaces over Unix sockets (files,
 * which every namespace reaches). One process per namespace holds any number of routes, added while
 * it runs: "listen here, connect there", each end `tcp:HOST:PORT` or `unix:PATH`. An end is passed
 * on (half-open connections work: a four-letter word gets its answer) and an error or a close closes
 * the other side, so a killed peer still looks killed. A route may be `delayed`: every chunk, each
 * way, is held for the relay's current delay (in order), which is how latency is added where the
 * kernel has no netem. The relay is a process of its own so the test's event loop is never on the
 * path; it exits when its stdin ends (when the test process dies).
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const RELAY = `
const net = require('node:net');
const endpoint = (spec) => spec.startsWith('unix:')
  ? { path: spec.slice(5) }
  : { host: spec.slice(4, spec.lastIndexOf(':')), port: Number(spec.slice(spec.lastIndexOf(':') + 1)) };
const say = (line) => process.stdout.write(JSON.stringify(line) + '\\n');
let delayMs = 0;
// Each chunk leaves at its arrival plus the delay, never before the chunk ahead of it; so does the end.
const carry = (from, to) => {
  let last = 0;
  const later = (action) => {
    const at = Math.max(Date.now() + delayMs, last);
    last = at;
    setTimeout(() => { if (!to.destroyed) action(); }, at - Date.now());
  };
  from.on('data', (chunk) => later(() => to.write(chunk)));
  from.on('end', () => later(() => to.end()));
};
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.delayMs !== undefined) { delayMs = message.delayMs; return say({ delayMs, ok: true }); }
  const { listen, connect, delayed } = message;
  // Half-open kept: a client that ends its side after asking (a four-letter word) still gets the answer.
  const server = net.createServer({ allowHalfOpen: true }, (inbound) => {
    const outbound = net.createConnection({ ...endpoint(connect), allowHalfOpen: true });
    const both = [inbound, outbound];
    const cut = () => { for (const socket of both) socket.destroy(); };
    // An error cuts both at once; a close lets the other side's last bytes and end through first.
    for (const socket of both) {
      socket.on('error', cut);
      socket.on('close', () => setTimeout(cut, delayMs + 2000).unref());
    }
    if (delayed) { carry(inbound, outbound); carry(outbound, inbound); }
    else { inbound.pipe(outbound); outbound.pipe(inbound); }
  });
  server.on('error', (error) => say({ listen, error: error.message }));
  server.listen(endpoint(listen), () => say({ listen, ok: true }));
}).on('close', () => process.exit(0));
`;

/** `process.execPath -e RELAY`: what to run (inside a namespace: prefixed with `ip netns exec NS`). */
export const RELAY_ARGV: readonly string[] = [process.execPath, '-e', RELAY];

interface Answer {
  readonly listen?: string;
  readonly delayMs?: number;
  readonly ok?: true;
  readonly error?: string;
}

const DELAY_KEY = '#delay';

/** One running relay process and its routes. */
export class TcpRelay {
  private readonly waiting = new Map<string, (answer: Answer) => void>();
  private said = '';
  private exited = false;

  /** Wraps a child started with RELAY_ARGV (stdio all pipes). */
  constructor(
    private readonly child: ChildProcess,
    readonly where: string,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      const key = answer.listen ?? DELAY_KEY;
      this.waiting.get(key)?.(answer);
      this.waiting.delete(key);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.said = (this.said + chunk.toString()).slice(-2_000);
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      const error = `the relay in ${where} exited (${code ?? signal}): ${this.said}`;
      for (const resolve of this.waiting.values()) resolve({ error });
      this.waiting.clear();
    });
  }

  /** Listens on `listen` and carries each connection to `connect`; resolves once it listens. */
  route(listen: string, connect: string, options: { delayed?: boolean } = {}): Promise<void> {
    return this.ask(listen, { listen, connect, delayed: options.delayed === true }, `listen on ${listen}`);
  }

  /** Sets the delay of every delayed route (chunks already held keep theirs). */
  setDelay(delayMs: number): Promise<void> {
    return this.ask(DELAY_KEY, { delayMs }, `set a delay of ${delayMs} ms`);
  }

  private ask(key: string, message: object, what: string): Promise<void> {
    if (this.exited) return Promise.reject(new Error(`the relay in ${this.where} is gone: ${this.said}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`the relay in ${this.where} did not ${what} within 20 s: ${this.said}`));
      }, 20_000);
      this.waiting.set(key, (answer) => {
        clearTimeout(timer);
        if (answer.ok) resolve();
        else reject(new Error(`the relay in ${this.where} cannot ${what}: ${answer.error}`));
      });
      this.child.stdin?.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Kills the relay (open connections are cut) and waits for its end. Idempotent. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.exited || this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}
