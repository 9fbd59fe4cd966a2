/**
 * What a steady load costs ZooKeeper and the nodes, for performance work on the zookeeper log:
 *
 *   npx tsx bench/zookeeper-cost.ts [rate=200] [--seconds 10] [--warmup 3]
 *
 * Starts a 3-server ensemble and 3 nodes (as the latency section does), offers `rate` single-task
 * submissions per second round-robin, and over the counted seconds prints: CPU by group and per
 * task (the bench process's own, the load generator's, shown apart), the ensemble's write
 * transactions and requests received (from `mntr`, summed over the servers) per task, and
 * ZooKeeper's CPU by thread name. No table, no results file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startZooKeeper } from '../src/infra/zookeeper-server/index.ts';
import { Cleanup } from './support/cleanup.ts';
import { cpuTotal, cpuWindow, formatCpu } from './support/cpu-time.ts';
import { paced } from './support/latency-stats.ts';
import { postJson, startCluster } from './support/taskd-cluster.ts';
import { mntrSums } from './support/zookeeper-mntr.ts';

const args = process.argv.slice(2);
const flag = (name: string, otherwise: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : otherwise;
};
const rate = Number(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 200);
const seconds = flag('--seconds', 10);
const warmup = flag('--warmup', 3);

/** CPU seconds of each thread name (digits folded) of `pids`. */
function threadSeconds(pids: readonly number[]): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const pid of pids) {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+/g, '#');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        seconds.set(name, (seconds.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  }
  return seconds;
}

const cleanup = new Cleanup();
try {
  const zk = await startZooKeeper({ servers: 3 });
  cleanup.add(() => zk.destroy());
  const zkPids = zk.servers.map((server) => server.pid ?? 0);
  const { nodes } = await startCluster(cleanup, { zk: zk.connectString, size: 3, capacity: 32 });
  const submit = (i: number) =>
    postJson(nodes[i % nodes.length]!, '/v1/tasks', { type: 'noop', payload: { i } }).then(
      () => true,
      () => false,
    );
  await paced(rate, warmup, submit);
  const before = await mntrSums(zk.connectString);
  const threadsBefore = threadSeconds(zkPids);
  const cpu = cpuWindow({
    nodes: nodes.map((node) => node.pid ?? 0),
    zookeeper: zkPids,
    bench: [process.pid],
  });
  const { sent } = await paced(rate, seconds, submit);
  const used = cpu.stop();
  const after = await mntrSums(zk.connectString);
  const perTask = (key: string) => ((after[key] ?? 0) - (before[key] ?? 0)) / sent;
  console.log(`${rate}/s for ${seconds} s after ${warmup} s: ${sent} tasks`);
  console.log(`CPU: ${formatCpu(used)}; ${((1000 * cpuTotal(used)) / sent).toFixed(2)} ms per task`);
  console.log(
    `ZooKeeper per task: ${perTask('zk_proposal_count').toFixed(2)} write transactions, ${perTask('zk_packets_received').toFixed(2)} requests received (all servers)`,
  );
  const threads = [...threadSeconds(zkPids)]
    .map(([name, s]) => [name, s - (threadsBefore.get(name) ?? 0)] as const)
    .filter(([, s]) => s >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  console.log(
    `ZooKeeper CPU by thread: ${threads.map(([name, s]) => `${name} ${s.toFixed(2)} s`).join(', ')}`,
  );
} finally {
  await cleanup.run();
}
