/**
 * BullMQ on the bench's redis-server, as the reference for taskd's figures: Worker processes with
 * no-op processors (one process per worker, as taskd runs one process per node), and a Queue in the
 * bench process that adds jobs and reads their timestamps back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Cleanup } from './cleanup.ts';

const WORKER = fileURLToPath(new URL('./bullmq-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let queues = 0;

/** A fresh queue (closed at cleanup). */
export function openQueue(cleanup: Cleanup, port: number): Queue {
  queues += 1;
  const queue = new Queue(`bench-${queues}-${process.pid}`, { connection: { host: '127.0.0.1', port } });
  cleanup.add(() => queue.close());
  return queue;
}

/** Starts `count` worker processes on `queue`; resolves once every one takes jobs. */
export async function startWorkers(
  cleanup: Cleanup,
  port: number,
  queue: string,
  count: number,
  concurrency: number,
): Promise<ChildProcess[]> {
  const workers = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--import', 'tsx', WORKER, String(port), queue, String(concurrency)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  for (const worker of workers) {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    cleanup.add(async () => {
      if (worker.exitCode === null && worker.signalCode === null) {
        worker.kill('SIGTERM');
        const timer = setTimeout(() => worker.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    });
  }
  await Promise.all(workers.map(ready));
  return workers;
}

function ready(worker: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a BullMQ worker did not start within 30 s')), 30_000);
    let seen = '';
    worker.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    worker.once('exit', (code) => reject(new Error(`a BullMQ worker exited (${code}) while starting`)));
  });
}
