/**
 * Fixtures for the replay tests: temp data directories, journals written by the real journal
 * writer, a file task log written through the real backend, and a replay run whose output is
 * collected in memory.
 */
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent } from '../../src/domain/event.ts';
import { streamOf, type TaskEvent } from '../../src/domain/task/index.ts';
import { openNodeJournal } from '../../src/infra/journal/node-journal.ts';
import { openFileEventLog } from '../../src/infra/log/file/file-event-log.ts';
import { type ReplayOptions, type ReplayReport, runReplay } from '../../src/replay/index.ts';

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh temp directory. */
export async function tempDir(prefix = 'taskd-replay-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes `events` to `node`'s journal in `dir` with the real writer; returns the file. */
export async function writeJournal(
  dir: string,
  node: string,
  events: readonly DomainEvent[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const journal = openNodeJournal({ dir, node, fsync: { intervalMs: 60_000 } });
  try {
    for (const event of events) journal.appendSync(event);
  } finally {
    journal.close();
  }
  return journal.path;
}

/** Appends task events, each to its own stream, to a file task log at `path`. */
export async function writeTaskLog(path: string, events: readonly TaskEvent[]): Promise<void> {
  const log = await openFileEventLog({ path, fsync: { intervalMs: 60_000 } });
  try {
    for (const event of events) {
      const { type, version, data, meta } = event;
      await log.append(streamOf(event), [{ type, version, data, meta }], 'any');
    }
  } finally {
    await log.close();
  }
}

/** A writable that keeps what it is given (with `isTTY` as asked). */
export class Collected extends EventEmitter {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a replay with collected stdout/stderr. */
export async function replay(options: ReplayOptions, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const stdout = new Collected();
  const stderr = new Collected();
  const code = await runReplay(options, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs a JSON replay and parses the document (fails the test if it is not JSON). */
export async function replayJson(
  options: ReplayOptions,
): Promise<{ code: number; report: ReplayReport; stderr: string }> {
  const result = await replay({ ...options, format: 'json' });
  if (result.code === 2) throw new Error(`replay failed: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as ReplayReport, stderr: result.stderr };
}
