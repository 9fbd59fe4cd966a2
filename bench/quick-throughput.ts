/**
 * A developer's loop for throughput work: `tsx bench/quick-throughput.ts [zk3|file1|bull3|bull1 ...] [--runs N]`
 * (--prefetch N for taskd's) runs only the runs named (each on a fresh cluster) and prints each figure; no table, no results file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startZooKeeper } from '../src/infra/zookeeper-server/index.ts';
import { Cleanup } from './support/cleanup.ts';
import { startRedis } from './support/redis-server.ts';
import { THROUGHPUT_DEFAULTS } from './support/workload.ts';
import { bullmqRun } from './throughput-bullmq.ts';
import { taskdRun } from './throughput-taskd.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : undefined;
};
const runs = flag('--runs') ?? 1;
const prefetch = flag('--prefetch') ?? THROUGHPUT_DEFAULTS.prefetch;
const which = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const cleanup = new Cleanup();
const TICK = 100;
/** CPU seconds of reaped children (the taskd nodes, once stopped) and of the java processes (ZooKeeper). */
const cpu = () => {
  const fields = (stat: string) =>
    stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  const self = fields(readFileSync('/proc/self/stat', 'utf8'));
  let java = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('zookeeper')) continue;
      const f = fields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      java += ((f[11] as number) + (f[12] as number)) / TICK;
    } catch {}
  }
  return { children: ((self[13] as number) + (self[14] as number)) / TICK, java };
};
try {
  const zk = await startZooKeeper({ servers: 3 });
  cleanup.add(() => zk.destroy());
  const redis = which.some((w) => w.startsWith('bull')) ? await startRedis(cleanup) : undefined;
  for (let r = 0; r < runs; r++) {
    for (const w of which.length > 0 ? which : ['zk3']) {
      const o = { ...THROUGHPUT_DEFAULTS, prefetch };
      const before = cpu();
      const f =
        w === 'zk3'
          ? await taskdRun(cleanup, zk.connectString, 3, 'zookeeper', o)
          : w === 'file1'
            ? await taskdRun(cleanup, zk.connectString, 1, 'file', o)
            : await bullmqRun(cleanup, redis?.port ?? 0, w === 'bull3' ? 3 : 1, o);
      const after = cpu();
      const per1k = (s: number) => ((1000 * s) / o.tasks).toFixed(3);
      console.log(
        w,
        Math.round(f.perSecond),
        '/s; CPU s per 1k tasks: nodes',
        per1k(after.children - before.children),
        'zookeeper',
        per1k(after.java - before.java),
        JSON.stringify({ ...f, label: undefined }).slice(0, 300),
      );
    }
  }
} finally {
  await cleanup.run();
}
