/**
 * What one compaction of the zookeeper log costs, for performance work on compaction.ts:
 *
 *   npx tsx bench/compaction-cost.ts [batches=10000]
 *
 * Starts a 3-server ensemble, appends `batches` one-event batches (as a quiet cluster does: one
 * task's events come in several small appends), then compacts them all away, and prints the time
 * and the ensemble's CPU of both (the appends' figures serve the ZooKeeper servers' settings too,
 * jvm-command.ts), and the compaction's write transactions (from `mntr`). A leader compacts once a
 * minute at most; at 500 tasks/s that is some 15,000 batches each time. No table, no results file.
 */

import { openZooKeeperEventLog } from '../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { startZooKeeper } from '../src/infra/zookeeper-server/index.ts';
import { Cleanup } from './support/cleanup.ts';
import { cpuWindow, formatCpu } from './support/cpu-time.ts';
import { mntrSums } from './support/zookeeper-mntr.ts';

const batches = Number(process.argv[2] ?? 10_000);
/** Appends in flight while filling the log. */
const FILL_CONCURRENCY = 64;

/** Write transactions the ensemble's leader has proposed so far. */
const proposals = async (connectString: string) => (await mntrSums(connectString)).zk_proposal_count ?? 0;

const cleanup = new Cleanup();
try {
  const zk = await startZooKeeper({ servers: 3 });
  cleanup.add(() => zk.destroy());
  const zkPids = zk.servers.map((server) => server.pid ?? 0);
  const log = await openZooKeeperEventLog({
    cluster: `compaction${process.pid}`,
    connection: { connectString: zk.connectString, sessionTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
  });
  cleanup.add(() => log.close());
  let next = 0;
  let last = 0;
  const fill = async () => {
    while (next < batches) {
      const i = next++;
      const { position } = await log.append(
        `s-${i % 100}`,
        [
          {
            type: 'Filled',
            version: 1,
            data: { i },
            meta: { node: 'bench', incarnation: 1, at: Date.now() },
          },
        ],
        'any',
      );
      last = Math.max(last, position);
    }
  };
  const fillCpu = cpuWindow({ zookeeper: zkPids, bench: [process.pid] });
  const filledIn = performance.now();
  await Promise.all(Array.from({ length: FILL_CONCURRENCY }, fill));
  console.log(
    `appended ${batches} batches (${FILL_CONCURRENCY} in flight) in ${Math.round(performance.now() - filledIn)} ms; CPU: ${formatCpu(fillCpu.stop())}`,
  );
  const before = await proposals(zk.connectString);
  const cpu = cpuWindow({ zookeeper: zkPids, bench: [process.pid] });
  const t0 = performance.now();
  const result = await log.compact({ upToPosition: last, snapshot: [] });
  const ms = performance.now() - t0;
  const used = cpu.stop();
  const writes = (await proposals(zk.connectString)) - before;
  console.log(`compacted ${result.deletedBatches} of ${batches} batches in ${Math.round(ms)} ms`);
  console.log(`CPU: ${formatCpu(used)}; ZooKeeper write transactions: ${writes}`);
} finally {
  await cleanup.run();
}
