/**
 * Step 6: SIGTERM to the surviving nodes (each exits 0 once its teardown is done), the task log
 * copied out of ZooKeeper into the demo's folder, then ZooKeeper stopped.
 */
import { join } from 'node:path';
import type { NodeExit } from '../local-cluster/node-process.ts';
import { type DemoContext, STOP_GRACE_MS } from './demo-context.ts';
import { exportTaskLog } from './export-task-log.ts';

/** Step 6: SIGTERM to the survivors (exit 0 after teardown), the task log copied out, ZooKeeper stopped. */
export async function stopStep(ctx: DemoContext): Promise<string> {
  const survivors = ctx.cluster.running();
  ctx.output.step(6, `Stopping ${survivors.map((n) => n.options.nodeId).join(', ')} with SIGTERM...`);
  const exits = await ctx.cluster.stopNodes(STOP_GRACE_MS);
  const bad: string[] = [];
  for (const [node, exit] of exits) {
    ctx.output.event(`  ${node.options.nodeId} (pid ${node.pid}) ${describeExit(exit)}`);
    if (exit.code !== 0) bad.push(`${node.options.nodeId} ${describeExit(exit)} (log: ${node.logPath})`);
  }
  const zookeeper = ctx.cluster.zookeeper;
  if (zookeeper === undefined) throw new Error('ZooKeeper is not running');
  const exported = await exportTaskLog(
    zookeeper.connectString,
    ctx.clusterName,
    join(ctx.dir, 'task-log.jsonl'),
  );
  ctx.output.event(`  task log: ${exported.events} events copied out of ZooKeeper`);
  const pids = zookeeper.servers.map((server) => server.pid).join(', ');
  await ctx.cluster.stopZooKeeper();
  ctx.output.event(`  ZooKeeper stopped (java pids ${pids})`);
  if (bad.length > 0) throw new Error(`a node did not stop cleanly: ${bad.join('; ')}`);
  return exported.path;
}

function describeExit(exit: NodeExit): string {
  if (exit.signal === 'SIGKILL')
    return `did not exit within ${STOP_GRACE_MS / 1000} s of SIGTERM and was killed`;
  return exit.signal === null ? `exited ${exit.code}` : `was ended by ${exit.signal}`;
}
