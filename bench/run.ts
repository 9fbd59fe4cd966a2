/**
 * `npm run bench`: every figure of taskd measured in one run on this machine, each beside its
 * reference, printed as one table and written to bench/results/latest.json. Starts a local 3-server
 * ZooKeeper ensemble and a redis-server (for BullMQ), runs the sections in turn, and removes every
 * process and folder it made, also when interrupted. `tsx bench/run.ts throughput latency` runs
 * only the sections named, and writes bench/results/partial.json instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startZooKeeper } from '../src/infra/zookeeper-server/index.ts';
import { measureCeiling } from './ceiling.ts';
import { measureFailover } from './failover.ts';
import { measureVipFailover } from './failover-vip.ts';
import { measureFencing } from './fencing.ts';
import { measureFootprint } from './footprint.ts';
import { measureLatency } from './latency.ts';
import { measureLatencyCurve } from './latency-curve.ts';
import { measureReplay } from './replay-section.ts';
import { Cleanup } from './support/cleanup.ts';
import { startRedis } from './support/redis-server.ts';
import { renderTable, type Section } from './support/report.ts';
import { measureThroughput } from './throughput.ts';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const wanted = (name: string) => only.size === 0 || only.has(name);
  const cleanup = new Cleanup();
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: cleaning up…`);
      void cleanup.run().finally(() => process.exit(130));
    });
  }
  const started = Date.now();
  const loadBefore = loadavg()[0] as number;
  const sections: Section[] = [];
  const step = async <T extends Section>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    if (!wanted(name) || interrupted) return undefined;
    const t0 = Date.now();
    console.error(`[${Math.round((t0 - started) / 1000)} s] ${name}…`);
    try {
      const section = await run();
      sections.push(section);
      return section;
    } catch (error) {
      // One section failing (a server that would not start) must not cost the others their figures.
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      console.error(`${name} failed: ${String(error instanceof Error ? error.stack : error)}`);
      sections.push({
        name,
        rows: [{ measure: name, taskd: `not measured (failed: ${message})` }],
        raw: null,
      });
      return undefined;
    } finally {
      const seconds = Math.round((Date.now() - t0) / 1000);
      console.error(`[${Math.round((Date.now() - started) / 1000)} s] ${name} done in ${seconds} s`);
    }
  };
  try {
    const zk = await startZooKeeper({ servers: 3 });
    cleanup.add(() => zk.destroy());
    const redis = await startRedis(cleanup);
    console.error(`ZooKeeper ${zk.connectString}, redis-server 127.0.0.1:${redis.port}`);
    // The servers' pids: the CPU they spend on a run is part of its cost.
    const ensemble = { connectString: zk.connectString, pids: zk.servers.map((server) => server.pid ?? 0) };
    const throughput = await step('throughput', () => measureThroughput(cleanup, ensemble, redis));
    await step('ceiling', () => measureCeiling(zk.connectString, throughput?.figures.zk3));
    await step('latency', () => measureLatency(cleanup, ensemble, redis));
    await step('latency-curve', () => measureLatencyCurve(cleanup, ensemble));
    await step('failover', () => measureFailover(cleanup, zk.connectString));
    await step('failover-vip', () => measureVipFailover(cleanup, zk.connectString));
    await step('footprint', () => measureFootprint(cleanup, zk.connectString));
    await step('replay', () => measureReplay(cleanup));
    // Last: it pauses the whole ensemble.
    await step('fencing', () => measureFencing(cleanup, zk));
  } finally {
    await cleanup.run();
  }
  console.log(renderTable(sections));
  const machine = {
    cpus: availableParallelism(),
    model: cpus()[0]?.model,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg()[0],
    node: process.version,
  };
  // Other work on the machine moves every figure: say how busy it was.
  console.log(
    `\nmachine: ${machine.cpus} CPUs (${machine.model}), Node ${machine.node}; 1-min load average ${loadBefore.toFixed(1)} before, ${machine.loadAverageAfter?.toFixed(1)} after`,
  );
  const result = { at: new Date().toISOString(), seconds: (Date.now() - started) / 1000, machine, sections };
  // A run of some sections only does not replace the last whole run's figures.
  const results = join(RESULTS_DIR, only.size === 0 ? 'latest.json' : 'partial.json');
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(results, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten: ${results} (${Math.round(result.seconds)} s in all)`);
}

await main();
