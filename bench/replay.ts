/**
 * Replay throughput and memory: generates three nodes' journals of 100k and 1M events in a temp
 * directory, replays each with the whole timeline streamed (text and JSON) into a sink that only
 * counts bytes, and prints events/s and the peak RSS seen during the replay.
 *
 *   npx tsx bench/replay.ts [--sizes 100000,1000000] [--max-seconds 600]
 *
 * The journals are realistic but cheap to write: health checks, member views with changing load,
 * a leader change and a suspended-then-reconnected session now and then, all folding cleanly.
 * Lines are written with the journal's own checksummed encoding. Bounded in time: past
 * --max-seconds the run stops and says so. Writes bench/results/replay.json; removes its files.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DomainEvent } from '../src/domain/event.ts';
import { encodeChecksummedLine } from '../src/infra/log/file/checksummed-line.ts';
import { runReplay } from '../src/replay/index.ts';

const NODES = ['bench-1', 'bench-2', 'bench-3'] as const;
const START = Date.UTC(2024, 0, 1);
const STEP_MS = 10;

interface Row {
  readonly events: number;
  readonly format: string;
  readonly generateSeconds: number;
  readonly replaySeconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
  readonly outputMiB: number;
}

const argument = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
};
const sizes = argument('--sizes', '100000,1000000').split(',').map(Number);
const maxSeconds = Number(argument('--max-seconds', '600'));

/** One node's events, `count` of them, in journal order. */
function* nodeEvents(node: string, count: number, offset: number): Generator<DomainEvent> {
  let incarnation = 0;
  let at = START + offset;
  let emitted = 0;
  const event = (type: string, data: unknown): DomainEvent => {
    at += STEP_MS;
    emitted += 1;
    return { type, version: 1, data, meta: { node, incarnation, at } };
  };
  yield event('ProcessStarted', { pid: 4242, version: 'bench' });
  incarnation = 1;
  yield event('ServicesStarted', { incarnation });
  yield event('SessionConnecting', { connectString: 'zk1:2181,zk2:2181,zk3:2181' });
  yield event('SessionConnected', { sessionId: `0x${node}`, negotiatedTimeoutMs: 6_000, server: 'zk1:2181' });
  yield event('ElectionJoinRequested', { from: 'outside' });
  yield event('ElectionJoined', { sequence: NODES.indexOf(node as (typeof NODES)[number]) + 1 });
  let epoch = 0;
  for (let round = 0; emitted < count; round++) {
    if (round % 50 === 0) {
      epoch += 1;
      yield event('LeaderObserved', { leader: NODES[epoch % NODES.length], epoch });
    }
    if (round % 200 === 199) {
      yield event('SessionSuspended', { suspicionMs: 3_600, deadline: at + 3_600 });
      yield event('SessionConnected', {
        sessionId: `0x${node}`,
        negotiatedTimeoutMs: 6_000,
        server: 'zk2:2181',
      });
      // A reconnect clears the session's watches' views until they fire again.
    }
    const members = NODES.map((member, i) => ({
      node: member,
      incarnation: 1,
      address: `${member}:7070`,
      priority: i,
      health: 'healthy',
      draining: false,
      capacity: 4,
      load: (round + i) % 5,
    }));
    yield event('MembersObserved', { members });
    for (let i = 0; i < 8 && emitted < count; i++) {
      yield event('HealthChecked', { probe: 'secondary-network', ok: true, detail: 'peers reachable' });
    }
  }
}

async function writeJournals(dir: string, total: number): Promise<void> {
  const perNode = Math.ceil(total / NODES.length);
  for (const [i, node] of NODES.entries()) {
    const out = createWriteStream(join(dir, `journal-${node}.jsonl`));
    let seq = 0;
    let chunk: Buffer[] = [];
    for (const event of nodeEvents(node, perNode, i * 3)) {
      seq += 1;
      chunk.push(encodeChecksummedLine({ seq, ...event }));
      if (chunk.length >= 4_096) {
        if (!out.write(Buffer.concat(chunk))) await once(out, 'drain');
        chunk = [];
      }
    }
    out.end(Buffer.concat(chunk));
    await once(out, 'finish');
  }
}

/** A stdout that counts bytes and throws them away. */
function countingSink(): { stream: { write(chunk: string): boolean; once(): void }; bytes: () => number } {
  let bytes = 0;
  return {
    stream: {
      write(chunk: string) {
        bytes += Buffer.byteLength(chunk);
        return true;
      },
      once() {},
    },
    bytes: () => bytes,
  };
}

async function measure(
  dir: string,
  events: number,
  format: 'text' | 'json',
  generateSeconds: number,
): Promise<Row> {
  global.gc?.();
  const sink = countingSink();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  const started = performance.now();
  const stderr = { write: (chunk: string) => process.stderr.write(chunk), once() {}, isTTY: false };
  const code = await runReplay(
    { inputs: [dir], format, progress: false },
    { stdout: sink.stream, stderr, env: {} },
  );
  const seconds = (performance.now() - started) / 1_000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (code !== 0) throw new Error(`replay exited ${code}`);
  return {
    events,
    format,
    generateSeconds: round(generateSeconds),
    replaySeconds: round(seconds),
    eventsPerSecond: Math.round(events / seconds),
    peakRssMiB: round(peak / 2 ** 20),
    outputMiB: round(sink.bytes() / 2 ** 20),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench/replay.ts: stopped after ${maxSeconds} s (--max-seconds)`);
    process.exit(3);
  }, maxSeconds * 1_000);
  watchdog.unref();
  const rows: Row[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'taskd-bench-replay-'));
    try {
      const started = performance.now();
      await writeJournals(dir, size);
      const generated = (performance.now() - started) / 1_000;
      for (const format of ['json', 'text'] as const) {
        const row = await measure(dir, size, format, generated);
        rows.push(row);
        console.log(
          `${String(size).padStart(9)} events  ${format.padEnd(4)}  replay ${row.replaySeconds.toFixed(1).padStart(6)} s  ` +
            `${String(row.eventsPerSecond).padStart(7)} events/s  peak RSS ${row.peakRssMiB.toFixed(1).padStart(6)} MiB  ` +
            `output ${row.outputMiB.toFixed(1)} MiB  (generated in ${row.generateSeconds} s)`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const results = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(
    join(results, 'replay.json'),
    `${JSON.stringify({ node: process.version, at: new Date().toISOString(), rows }, null, 2)}\n`,
  );
  clearTimeout(watchdog);
}

await main();
