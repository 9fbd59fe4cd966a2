/**
 * `taskd replay --format json` over every node's data directory and the cluster's ZooKeeper task
 * log, run as the real command: the chaos oracle reads its report.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReplayReport } from '../../src/replay/index.ts';
import { RESTART, SUSPICION_WINDOW_MS } from './chaos-settings.ts';

const TASKD = fileURLToPath(new URL('../../bin/taskd.js', import.meta.url));

export interface ReplayRun {
  readonly code: number | null;
  readonly report: ReplayReport | undefined;
  readonly stderr: string;
  readonly argv: readonly string[];
}

/**
 * Replays `dataDirs` with the task log of `cluster`. Two leaders within the suspicion window are a
 * handover; more restarts within the restart window than the budget allows is a storm; a task left
 * unfinished once the workload drained is lost at once.
 */
export async function runReplayCommand(
  dataDirs: readonly string[],
  zk: string,
  cluster: string,
): Promise<ReplayRun> {
  const argv = [
    TASKD,
    'replay',
    ...dataDirs,
    '--log',
    `zk://${zk}/${cluster}`,
    '--format',
    'json',
    '--at',
    'end',
    '--overlap-tolerance',
    `${SUSPICION_WINDOW_MS}ms`,
    '--storm',
    `${RESTART.budget + 1}/${RESTART.windowMs}ms`,
    '--lost-grace',
    '0',
    '--stranded-grace',
    '0',
  ];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  let report: ReplayReport | undefined;
  try {
    report = JSON.parse(Buffer.concat(out).toString('utf8')) as ReplayReport;
  } catch {
    report = undefined;
  }
  return { code, report, stderr: Buffer.concat(err).toString('utf8'), argv: argv.slice(1) };
}
