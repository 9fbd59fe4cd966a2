/**
 * Append throughput and latency of the task-log backends, and the ceiling ZooKeeper itself sets:
 *
 *   npx tsx bench/log-append.ts
 *
 * Starts a standalone ZooKeeper (src/infra/zookeeper-server; needs `bash scripts/ensure-zookeeper`),
 * then for batch sizes 1, 10 and 100 measures sequential appends from one client on memory, file
 * (fsync always) and zookeeper, 16 appends in flight on zookeeper, and raw persistent-sequential
 * creates of the same size on the same server at both concurrencies: the ceiling of the zookeeper
 * backend (an append is one multi of a create plus a setData of the head; the head is read first
 * only when the log does not know it already).
 * eventstoredb is measured when TASKD_ESDB_URL names a server. Prints one table, writes
 * bench/results/log-append.json, and removes everything it created. About 30 s in all.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchBytes } from '../src/infra/log/batch-size.ts';
import { createEventStoreDbLog } from '../src/infra/log/eventstoredb/eventstoredb-log.ts';
import { openFileEventLog } from '../src/infra/log/file/file-event-log.ts';
import { createMemoryEventLog } from '../src/infra/log/memory/memory-event-log.ts';
import type { EventLog, EventToAppend, ExpectedRevision } from '../src/infra/log/port.ts';
import { encodeBatch, prepareBatch } from '../src/infra/log/zookeeper/batch-record.ts';
import { openZooKeeperEventLog } from '../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { createZooKeeperSession, type ZooKeeperSession } from '../src/infra/zookeeper/index.ts';
import { startZooKeeper, type ZooKeeperCluster } from '../src/infra/zookeeper-server/index.ts';
import { type LoopOptions, type LoopResult, measureLoop } from './append-loop.ts';

const BATCH_SIZES = [1, 10, 100] as const;
const IN_FLIGHT = 16;
const CELL_MS = 1_500;
const MAX_OPS = 20_000;
/**
 * Data a round may leave on the server before it is deleted: the test server has a 128 MB heap and
 * keeps every znode in memory (a first version of this benchmark ran it out of memory).
 */
const MAX_ROUND_BYTES = 24 * 1024 * 1024;

interface Row extends LoopResult {
  readonly backend: string;
  readonly mode: string;
  readonly batch: number;
  readonly eventsPerSecond: number;
  /** Events/s of raw creates at the same batch size and concurrency (zookeeper rows only). */
  ceilingEventsPerSecond?: number;
  ratio?: number;
}

/** A small task-like event: about 150 bytes of JSON. */
function batchOf(size: number, n: number): EventToAppend[] {
  return Array.from({ length: size }, (_, i) => ({
    type: 'TaskProgressed',
    version: 1,
    data: { taskId: `t-${n}-${i}`, attempt: 1, progress: i / size },
    meta: { node: 'bench', incarnation: 1, epoch: 1, at: Date.now() },
  }));
}

/** Appends in `workers` lanes, each to its own stream with exact expected revisions. */
async function measureAppends(
  backend: string,
  log: EventLog,
  batch: number,
  workers: number,
  rounds: Pick<LoopOptions, 'roundOps' | 'between'> = {},
): Promise<Row> {
  const prefix = `${backend}-${batch}-${workers}-${randomUUID().slice(0, 6)}`;
  const expected: ExpectedRevision[] = Array.from({ length: workers }, () => 'no_stream');
  const loop = { workers, durationMs: CELL_MS, maxOps: MAX_OPS, ...rounds };
  const result = await measureLoop(loop, async (worker, n) => {
    const appended = await log.append(`${prefix}-${worker}`, batchOf(batch, n), expected[worker]!);
    expected[worker] = appended.nextExpectedRevision;
  });
  const mode = workers === 1 ? 'sequential' : `${workers} in flight`;
  return { backend, mode, batch, ...result, eventsPerSecond: result.opsPerSecond * batch };
}

/** Raw persistent sequential creates carrying what an append of `batch` events would store. */
async function measureCreates(session: ZooKeeperSession, parent: string, batch: number, workers: number) {
  const data = encodeBatch(prepareBatch('raw', batchOf(batch, 0), randomUUID), 0);
  const loop = { workers, durationMs: CELL_MS, maxOps: MAX_OPS, ...zkRounds(session, parent, batch) };
  const result = await measureLoop(loop, () => session.create(`${parent}/raw~`, { data, sequential: true }));
  return { ...result, eventsPerSecond: result.opsPerSecond * batch };
}

/** Rounds small enough for the server's heap, each followed by deleting what it created under `parent`. */
function zkRounds(session: ZooKeeperSession, parent: string, batch: number) {
  const bytes = encodeBatch(prepareBatch('x', batchOf(batch, 0), randomUUID), 0).length;
  return {
    roundOps: Math.floor(MAX_ROUND_BYTES / bytes),
    between: () => removeChildren(session, parent),
  };
}

/** Deletes every child of `path` (not timed). */
async function removeChildren(session: ZooKeeperSession, path: string): Promise<void> {
  const names = (await session.getChildren(path))?.children ?? [];
  for (let start = 0; start < names.length; start += 256) {
    await Promise.all(names.slice(start, start + 256).map((name) => session.remove(`${path}/${name}`)));
  }
}

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    const rows = await run(cleanups);
    report(rows);
  } finally {
    await cleanUp();
  }
}

async function run(cleanups: Array<() => Promise<unknown> | unknown>): Promise<Row[]> {
  const started = Date.now();
  const cluster: ZooKeeperCluster = await startZooKeeper({ servers: 1 });
  cleanups.push(() => cluster.destroy());
  const dir = mkdtempSync(join(tmpdir(), 'taskd-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const session = createZooKeeperSession({
    connectString: cluster.connectString,
    sessionTimeoutMs: 30_000,
    requestTimeoutMs: 15_000,
  });
  cleanups.push(() => session.close());
  const zkLog = await openZooKeeperEventLog({ cluster: 'bench', root: '/taskd-bench/log', session });
  cleanups.push(() => zkLog.close());
  await session.mkdirp('/taskd-bench/raw');
  console.error(`ZooKeeper ${cluster.connectString} started in ${Date.now() - started} ms; measuring…`);

  const rows: Row[] = [];
  for (const batch of BATCH_SIZES) {
    const memory = createMemoryEventLog();
    rows.push(await measureAppends('memory', memory, batch, 1));
    await memory.close();
    const file = await openFileEventLog({ path: join(dir, `append-${batch}.log`) });
    rows.push(await measureAppends('file', file, batch, 1));
    await file.close();
    for (const workers of [1, IN_FLIGHT]) {
      const events = '/taskd-bench/log/events';
      const row = await measureAppends('zookeeper', zkLog, batch, workers, zkRounds(session, events, batch));
      await removeChildren(session, events);
      const ceiling = await measureCreates(session, '/taskd-bench/raw', batch, workers);
      await removeChildren(session, '/taskd-bench/raw');
      rows.push({ ...ceiling, backend: 'zk raw create', mode: row.mode, batch });
      row.ceilingEventsPerSecond = ceiling.eventsPerSecond;
      row.ratio = row.eventsPerSecond / ceiling.eventsPerSecond;
      rows.push(row);
    }
    const esdbUrl = process.env.TASKD_ESDB_URL;
    if (esdbUrl) {
      const esdb = createEventStoreDbLog({
        connectionString: esdbUrl,
        cluster: `bench-${randomUUID().slice(0, 8)}`,
      });
      rows.push(await measureAppends('eventstoredb', esdb, batch, 1));
      await esdb.close();
    }
  }
  console.error(`measured in ${Math.round((Date.now() - started) / 1000)} s`);
  return rows;
}

function report(rows: readonly Row[]): void {
  const header = [
    'backend',
    'mode',
    'batch',
    'appends',
    'events/s',
    'p50 ms',
    'p99 ms',
    'ceiling ev/s',
    'ratio',
  ];
  const cells = rows.map((r) => [
    r.backend,
    r.mode,
    String(r.batch),
    String(r.ops),
    Math.round(r.eventsPerSecond).toLocaleString('en-US'),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    r.ceilingEventsPerSecond === undefined
      ? ''
      : Math.round(r.ceilingEventsPerSecond).toLocaleString('en-US'),
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: readonly string[]) =>
    `| ${values.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const row of cells) console.log(line(row));
  console.log(`\nbatch of 1 event = ${batchBytes(batchOf(1, 0))} bytes by the contract's measure.`);
  console.log('ceiling: persistent sequential creates of the same data, same concurrency, same server.');
  console.log('ZooKeeper test servers run with forceSync=no; the file backend fsyncs every append.');
  if (!process.env.TASKD_ESDB_URL)
    console.log('eventstoredb: not measured (set TASKD_ESDB_URL to measure it).');
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'log-append.json');
  mkdirSync(dirname(out), { recursive: true });
  const measured = { at: new Date().toISOString(), cellMs: CELL_MS, inFlight: IN_FLIGHT, rows };
  writeFileSync(out, `${JSON.stringify(measured, null, 2)}\n`);
  console.log(`written: ${out}`);
}

await main();
