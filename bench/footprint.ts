/**
 * Footprint: resident memory (VmRSS from /proc) of one taskd node on the file log, idle, then with
 * 100k noop tasks in its fold: submitted in batches and left to run (finished tasks are retained: the
 * default retention is a day) until all finished or the deadline, whichever comes first. The row
 * says how many had finished; the others are still in the fold, pending or running.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeProcess } from '../src/cli/local-cluster/node-process.ts';
import type { Cleanup } from './support/cleanup.ts';
import { count, mb, type Row, type Section } from './support/report.ts';
import { finished, rssBytes, startCluster, submitBatch, taskCounts } from './support/taskd-cluster.ts';

export interface FootprintOptions {
  readonly tasks: number;
  readonly batch: number;
  readonly capacity: number;
  /** From the first submission; RSS is read then even if tasks are still running. */
  readonly deadlineMs: number;
}

export const FOOTPRINT_DEFAULTS: FootprintOptions = {
  tasks: 100_000,
  batch: 1_000,
  capacity: 32,
  deadlineMs: 45_000,
};

export interface FootprintFigures {
  readonly idleRssBytes: number;
  readonly loadedRssBytes: number;
  readonly submitted: number;
  readonly finished: number;
  readonly submitSeconds: number;
  readonly seconds: number;
}

/** Measures one node on the file log. */
export async function measureFootprint(
  parent: Cleanup,
  zk: string,
  options: FootprintOptions = FOOTPRINT_DEFAULTS,
): Promise<Section & { figures: FootprintFigures }> {
  const cleanup = parent.child();
  try {
    const cluster = await startCluster(cleanup, {
      zk,
      size: 1,
      logBackend: 'file',
      capacity: options.capacity,
    });
    const node = cluster.nodes[0] as NodeProcess;
    await sleep(2_000); // start-up work settles before the idle reading
    const idleRssBytes = rssBytes(node.pid);
    const t0 = performance.now();
    let next = 0;
    let submitted = 0;
    const lane = async () => {
      while (next * options.batch < options.tasks) {
        const b = next++;
        const size = Math.min(options.batch, options.tasks - b * options.batch);
        const tasks = Array.from({ length: size }, (_, i) => ({
          type: 'noop',
          payload: { i: b * options.batch + i },
        }));
        const ids = await submitBatch(node, tasks);
        submitted += ids.length; // after the await: `x += await y` would read x before it
      }
    };
    await Promise.all([lane(), lane()]);
    const submitSeconds = (performance.now() - t0) / 1000;
    let done = 0;
    while (performance.now() - t0 < options.deadlineMs) {
      const counts = await taskCounts(node);
      if (counts !== undefined) done = finished(counts);
      if (done >= submitted) break;
      await sleep(500);
    }
    const seconds = (performance.now() - t0) / 1000;
    const loadedRssBytes = rssBytes(node.pid);
    const figures = { idleRssBytes, loadedRssBytes, submitted, finished: done, submitSeconds, seconds };
    const perTask = (loadedRssBytes - idleRssBytes) / Math.max(1, submitted);
    const rows: Row[] = [
      {
        measure: `footprint: RSS of one node (file log) with ${count(submitted)} tasks in its fold`,
        taskd: mb(loadedRssBytes),
        reference: `the same node idle: ${mb(idleRssBytes)}`,
        ratio: loadedRssBytes / idleRssBytes,
        note: `${count(submitted)} noop tasks submitted in ${submitSeconds.toFixed(0)} s; ${count(done)} finished (retained) after ${seconds.toFixed(0)} s, the rest still pending or running; ~${count(perTask)} bytes per task`,
      },
    ];
    return { name: 'footprint', rows, raw: { options, ...figures }, figures };
  } finally {
    await cleanup.run();
  }
}
