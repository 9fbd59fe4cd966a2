import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestScheduler } from 'rxjs/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../src/errors.ts';
import type { CommandOptions, RunCommand } from '../../../src/infra/command/index.ts';
import { commandProbe$ } from '../../../src/infra/health/index.ts';
import { firstValue } from '../../support/first-value.ts';
import { waitFor } from '../../support/wait-for.ts';

const dir = mkdtempSync(join(tmpdir(), 'taskd-command-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (argv: readonly string[], timeoutMs = 10_000, outputLimitBytes?: number) =>
  firstValue(commandProbe$({ argv, timeoutMs, intervalMs: 60_000, outputLimitBytes }), {
    what: `the check ${argv.join(' ')}`,
  });

describe('the command probe, running real commands', () => {
  it('is healthy when the command exits 0', async () => {
    expect(await check(['sh', '-c', 'echo all good'])).toEqual({
      probe: 'command',
      ok: true,
      detail: "sh -c 'echo all good': exit 0: all good",
    });
  });

  it('is unhealthy on a non-zero exit, with the output in the detail', async () => {
    expect(await check(['sh', '-c', 'echo peer 10.0.0.2 down >&2; exit 3'])).toEqual({
      probe: 'command',
      ok: false,
      detail: "sh -c 'echo peer 10.0.0.2 down >&2; exit 3': exit 3: peer 10.0.0.2 down",
    });
  });

  it('is unhealthy when the command outlives its timeout', async () => {
    expect(await check(['sleep', '60'], 200)).toEqual({
      probe: 'command',
      ok: false,
      detail: 'sleep 60: timed out after 200 ms',
    });
  });

  it('is unhealthy when the command cannot start', async () => {
    const result = await check(['taskd-no-such-check']);
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('could not start: ENOENT');
  });

  it('keeps only the end of a long output', async () => {
    const result = await check(['sh', '-c', 'seq 1 100000; echo final verdict: broken; exit 1'], 10_000, 100);
    expect(result.ok).toBe(false);
    expect(result.detail.length).toBeLessThan(250);
    expect(result.detail).toMatch(/earlier bytes dropped\][\s\S]*final verdict: broken$/);
  });

  it('kills the running check when unsubscribed', async () => {
    const pidFile = join(dir, 'check.pid');
    const subscription = commandProbe$({
      argv: ['sh', '-c', `echo $$ > ${pidFile}; exec sleep 60`],
      timeoutMs: 60_000,
      intervalMs: 60_000,
    }).subscribe();
    const pid = await waitFor(() => Number(readFileSync(pidFile, 'utf8')), { what: 'the check to start' });
    subscription.unsubscribe();
    await waitFor(() => isGone(pid), { what: 'the check to be killed' });
  });

  it('refuses an empty argv when built: a config error', () => {
    let thrown: unknown;
    try {
      commandProbe$({ argv: [], timeoutMs: 100, intervalMs: 100 });
    } catch (error) {
      thrown = error;
    }
    expect(hasCode(thrown, 'CONFIG_INVALID')).toBe(true);
  });
});

describe('the command probe, in virtual time', () => {
  it('never runs two checks at once, and aborts the one running when unsubscribed', () => {
    const calls: CommandOptions[] = [];
    const hanging: RunCommand = (_argv, options) => {
      calls.push(options);
      return new Promise(() => {});
    };
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(
      ({ expectObservable, flush }) => {
        const probe$ = commandProbe$(
          { argv: ['check'], timeoutMs: 50, intervalMs: 10 },
          { runCommand: hanging },
        );
        expectObservable(probe$, '^ 100ms !').toBe('');
        flush();
      },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.signal?.aborted).toBe(true);
  });
});

/** Gone, or a zombie waiting for a reaper. */
function isGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}
