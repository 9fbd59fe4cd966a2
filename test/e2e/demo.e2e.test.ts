/**
 * The README's first command, end to end: the demo runs as a user would run it (a child process, its
 * output piped), and must leave nothing running behind it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

interface DemoRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  /** The run's own folder (under the --dir the test gave). */
  readonly folder: string;
}

const base = mkdtempSync(join(tmpdir(), 'taskd-demo-test-'));
let run: DemoRun;

/** Runs `node --import tsx src/cli/demo.ts --dir <base>`; kills it if it outlives `boundMs`. */
function runDemo(boundMs: number): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/demo.ts', '--dir', base], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const folder = /^folder: (\S+)/m.exec(output)?.[1] ?? '';
      resolve({ code, signal, output, folder });
    });
  });
}

/** Live processes whose command line mentions `text`: pid and argv. */
function processesMentioning(text: string): { pid: number; argv: string[] }[] {
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((arg) => arg.includes(text))) found.push({ pid: Number(entry), argv });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** A ZooKeeper JVM or a taskd node. */
function isJavaOrTaskd(argv: readonly string[]): boolean {
  return /(^|\/)java$/.test(argv[0] ?? '') || argv.some((arg) => arg.endsWith('bin/taskd.js'));
}

beforeAll(async () => {
  run = await runDemo(200_000);
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('exits 0 after every step worked', () => {
    // The whole output as the message: when the demo fails, it says which step and why.
    expect(run.output, run.output).toMatch(/every step worked/);
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
  });

  it('names a new leader with a higher epoch after the leader is killed', () => {
    const killed = /kill -9 the leader (\S+) \(pid \d+, epoch (\d+)\)/.exec(run.output);
    const next = /new leader (\S+), epoch (\d+) \(was (\S+), epoch (\d+)\)/.exec(run.output);
    expect(killed).not.toBeNull();
    expect(next).not.toBeNull();
    const [, oldLeader, oldEpoch] = killed as RegExpExecArray;
    const [, newLeader, newEpoch, was] = next as RegExpExecArray;
    expect(was).toBe(oldLeader);
    expect(newLeader).not.toBe(oldLeader);
    expect(Number(newEpoch)).toBeGreaterThan(Number(oldEpoch));
    expect(run.output).toMatch(/requeued: attempt 1 was on \S+ \(killed\)/);
  });

  it('shows every task finished: the table lists 16 tasks, none left unfinished', () => {
    expect(run.output).toMatch(/every task finished: 14 succeeded, 1 failed, 1 cancelled/);
    const rows = run.output.split('\n').filter((line) => /^\s+[0-9a-f]{8}\s+(noop|sleep|fail)\s/.test(line));
    expect(rows).toHaveLength(16);
    for (const row of rows) expect(row).toMatch(/\s(succeeded|failed|cancelled)\s/);
  });

  it('keeps each node journal and the task log in its folder', () => {
    for (const node of ['n1', 'n2', 'n3']) {
      expect(existsSync(join(run.folder, node, 'data', `journal-${node}.jsonl`))).toBe(true);
      expect(existsSync(join(run.folder, node, 'taskd.log'))).toBe(true);
    }
    expect(existsSync(join(run.folder, 'task-log.jsonl'))).toBe(true);
  });

  it('leaves no java or taskd process behind', async () => {
    expect(run.folder).not.toBe('');
    expect(processesMentioning(run.folder).filter((p) => isJavaOrTaskd(p.argv))).toEqual([]);
    const printed = [...run.output.matchAll(/(?:java|taskd) pids? (\d+(?:, \d+)*)/g)].flatMap((m) =>
      (m[1] ?? '').split(', ').map(Number),
    );
    expect(printed.length).toBeGreaterThanOrEqual(6);
    const alive = printed.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(run.folder);
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    // Each JVM's watchdog shell (src/infra/zookeeper-server/jvm-command.ts) leaves within a second of it.
    await vi.waitFor(() => expect(processesMentioning(run.folder)).toEqual([]), {
      timeout: 15_000,
      interval: 200,
    });
  });
});
