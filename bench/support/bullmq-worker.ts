/**
 * One BullMQ Worker process with a no-op processor, the counterpart of one taskd node running noop
 * tasks:  node --import tsx bench/support/bullmq-worker.ts <redis port> <queue> <concurrency>
 * Prints "ready" once the worker takes jobs; SIGTERM closes it and exits.
 */
import { Worker } from 'bullmq';

const [port, queue, concurrency] = process.argv.slice(2);
const worker = new Worker(queue as string, async (job) => ({ echo: job.data ?? null }), {
  connection: { host: '127.0.0.1', port: Number(port) },
  concurrency: Number(concurrency),
});
worker.on('error', (error) => console.error(`bullmq worker: ${error.message}`));
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().finally(() => process.exit(0));
});
