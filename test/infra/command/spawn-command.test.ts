import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCommand } from '../../../src/infra/command/index.ts';
import { waitFor } from '../../support/wait-for.ts';

const dir = mkdtempSync(join(tmpdir(), 'taskd-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Gone, or a zombie waiting for a reaper (the container's init may be slow to reap orphans). */
const isGone = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
};

describe('the real command runner', () => {
  it('runs argv without a shell and returns the exit code with stdout and stderr combined', async () => {
    const result = await spawnCommand(['sh', '-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, aborted: false, spawnError: null });
    expect(result.output).toContain('out\n');
    expect(result.output).toContain('err\n');
    expect(result.commandLine).toBe("sh -c 'echo out; echo err >&2; exit 3'");
  });

  it('passes shell metacharacters through as plain arguments', async () => {
    const result = await spawnCommand(['echo', '$(id)', ';', 'true'], { timeoutMs: 10_000 });
    expect(result.output).toBe('$(id) ; true\n');
  });

  it('reports a missing binary as a spawn error, not a rejection', async () => {
    const result = await spawnCommand(['taskd-no-such-binary'], { timeoutMs: 10_000 });
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toMatch(/^ENOENT/);
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    const pidFile = join(dir, 'timeout.pid');
    const result = await spawnCommand(['sh', '-c', `sleep 60 & echo $! > ${pidFile}; wait`], {
      timeoutMs: 300,
    });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => isGone(grandchild), { what: 'the grandchild to be killed' });
  });

  it('kills the command when aborted', async () => {
    const pidFile = join(dir, 'abort.pid');
    const abort = new AbortController();
    const running = spawnCommand(['sh', '-c', `echo $$ > ${pidFile}; exec sleep 60`], {
      timeoutMs: 60_000,
      signal: abort.signal,
    });
    const pid = await waitFor(() => Number(readFileSync(pidFile, 'utf8')), { what: 'the command to start' });
    abort.abort();
    expect(await running).toMatchObject({ aborted: true, timedOut: false });
    await waitFor(() => isGone(pid), { what: 'the command to be killed' });
  });

  it('keeps the end of a long output and says how much it dropped', async () => {
    const result = await spawnCommand(['sh', '-c', 'seq 1 20000; echo the-last-line'], {
      timeoutMs: 10_000,
      outputLimitBytes: 64,
    });
    expect(result.output).toMatch(/^\[… \d+ earlier bytes dropped\]\n/);
    expect(result.output.endsWith('20000\nthe-last-line\n')).toBe(true);
  });
});
