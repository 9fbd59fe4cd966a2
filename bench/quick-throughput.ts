/**
 * A developer's loop for throughput work: `tsx bench/quick-throughput.ts [zk3|file1|bull3|bull1 ...]
 * [--runs N] [--prefetch N]` runs only the runs named (each on a fresh cluster), and prints each
 * one's rate and CPU per 1,000 tasks; no table, no results file.
 */
import { startZooKeeper } from '../src/infra/zookeeper-server/index.ts';
import { Cleanup } from './support/cleanup.ts';
import { startRedis } from './support/redis-server.ts';
import { type RunFigures, THROUGHPUT_DEFAULTS } from './support/workload.ts';
import { bullmqRun } from './throughput-bullmq.ts';
import { taskdRun } from './throughput-taskd.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : undefined;
};
const runs = flag('--runs') ?? 1;
const options = { ...THROUGHPUT_DEFAULTS, prefetch: flag('--prefetch') ?? THROUGHPUT_DEFAULTS.prefetch };
const named = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const which = named.length > 0 ? named : ['zk3'];

const cleanup = new Cleanup();
try {
  const zk = await startZooKeeper({ servers: 3 });
  cleanup.add(() => zk.destroy());
  const zkPids = zk.servers.map((server) => server.pid ?? 0);
  const redis = which.some((w) => w.startsWith('bull')) ? await startRedis(cleanup) : undefined;
  const run = (w: string): Promise<RunFigures> => {
    if (w === 'zk3') return taskdRun(cleanup, zk.connectString, 3, 'zookeeper', options, zkPids);
    if (w === 'file1') return taskdRun(cleanup, zk.connectString, 1, 'file', options);
    if (redis === undefined) throw new Error(`unknown run "${w}": zk3, file1, bull3 or bull1`);
    return bullmqRun(cleanup, redis.port, w === 'bull3' ? 3 : 1, options, redis.pid);
  };
  for (let r = 0; r < runs; r++) {
    for (const w of which) {
      const f = await run(w);
      const cpu = Object.entries(f.cpu?.seconds ?? {}).map(([name, s]) => `${name} ${s.toFixed(3)}`);
      const busy = Math.round(100 * (f.cpu?.machineBusy ?? Number.NaN));
      console.log(
        `${w} ${Math.round(f.perSecond)}/s; CPU s per 1k tasks: ${cpu.join(', ')}; machine ${busy}% busy`,
      );
    }
  }
} finally {
  await cleanup.run();
}
