import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleepHandler } from '../../../src/infra/handlers/builtin.ts';
import { execHandler, execRefusal } from '../../../src/infra/handlers/exec.ts';
import type { TaskContext } from '../../../src/infra/handlers/handler.ts';
import { loadHandlers } from '../../../src/infra/handlers/registry.ts';
import { waitFor } from '../../support/wait-for.ts';

function context(signal = new AbortController().signal): TaskContext & { seen: number[] } {
  const seen: number[] = [];
  return { signal, attempt: 1, taskId: 't1', progress: (f) => seen.push(f), seen };
}

describe('the exec handler', () => {
  const exec = execHandler({ allow: ['echo', 'sh', 'sleep'], outputLimitBytes: 8 });

  it('runs an allowed command as argv, without a shell', async () => {
    const result = (await exec.run({ argv: ['echo', '$HOME', ';', 'x'] }, context())) as { stdout: string };
    // a shell would have expanded $HOME and split at ';'
    expect(result.stdout).toBe('$HOME ; '.slice(0, 8));
  });

  it('caps the captured output and says so', async () => {
    const result = (await exec.run({ argv: ['echo', 'abcdefghijklmnop'] }, context())) as {
      stdout: string;
      truncated: boolean;
    };
    expect(result.stdout).toBe('abcdefgh');
    expect(result.truncated).toBe(true);
  });

  it('refuses a command that is not on the allow-list, before running anything', async () => {
    expect(execRefusal({ argv: ['rm', '-rf', '/tmp/x'] }, ['echo'])).toMatch(
      /payload\.argv\.0: command "rm" is not on the exec allow-list/,
    );
    await expect(exec.run({ argv: ['rm', '/nonexistent'] }, context())).rejects.toThrow(
      /not on the exec allow-list/,
    );
  });

  it('refuses everything when exec is disabled', () => {
    expect(execRefusal({ argv: ['echo'] }, [])).toMatch(/disabled/);
  });

  it('names the field at fault in a malformed payload', () => {
    expect(execRefusal({ argv: [] }, ['echo'])).toMatch(/^payload\.argv: /);
    expect(execRefusal({ argv: ['echo'], shell: true }, ['echo'])).toMatch(/payload\./);
  });

  it('fails with the exit code when the command fails', async () => {
    await expect(exec.run({ argv: ['sh', '-c', 'exit 3'] }, context())).rejects.toThrow(/exited with 3/);
  });

  it('sends SIGTERM to the child when the task is aborted', async () => {
    const controller = new AbortController();
    const running = exec.run({ argv: ['sleep', '30'] }, context(controller.signal));
    controller.abort('cancelled');
    await expect(running).rejects.toThrow(/aborted: cancelled/);
  });

  it('escalates to SIGKILL when the child ignores SIGTERM', async () => {
    const stubborn = execHandler({ allow: ['sh'], outputLimitBytes: 1024, killGraceMs: 50 });
    const controller = new AbortController();
    const ctx = context(controller.signal);
    const marker = join(mkdtempSync(join(tmpdir(), 'taskd-exec-')), 'ready');
    const running = stubborn.run(
      { argv: ['sh', '-c', `trap "" TERM; touch ${marker}; sleep 30 & wait`] },
      ctx,
    );
    await waitFor(() => existsSync(marker), { timeoutMs: 10_000, what: 'the child to ignore SIGTERM' });
    controller.abort('deadline');
    const failure = await running.catch((e: { details: { signal: string } }) => e);
    expect((failure as { details: { signal: string } }).details.signal).toBe('SIGKILL');
  });
});

describe('the sleep handler', () => {
  it('reports progress at each step', async () => {
    const ctx = context();
    await sleepHandler.run({ ms: 4, steps: 4 }, ctx);
    expect(ctx.seen).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const running = sleepHandler.run({ ms: 60_000 }, context(controller.signal));
    controller.abort('session lost');
    await expect(running).rejects.toThrow(/sleep aborted: session lost/);
  });
});

describe('loading handlers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskd-handlers-'));

  it('has the built-ins and no exec unless allowed', async () => {
    const registry = await loadHandlers({ execAllow: [], execOutputLimitBytes: 10, handlerModules: [] });
    expect([...registry.keys()].sort()).toEqual(['fail', 'noop', 'sleep']);
  });

  it('loads a handler module from a configured path', async () => {
    const path = join(dir, 'double.mjs');
    writeFileSync(path, 'export default { type: "double", run: async (p) => p * 2 };\n');
    const registry = await loadHandlers({
      execAllow: ['echo'],
      execOutputLimitBytes: 10,
      handlerModules: [path],
    });
    expect(await registry.get('double')?.run(21, context())).toBe(42);
    expect(registry.has('exec')).toBe(true);
  });

  it('rejects a module of the wrong shape, naming it', async () => {
    const path = join(dir, 'bad.mjs');
    writeFileSync(path, 'export default { run: 1 };\n');
    await expect(
      loadHandlers({ execAllow: [], execOutputLimitBytes: 10, handlerModules: [path] }),
    ).rejects.toThrow(/bad\.mjs must export default \{ type, run \}/);
  });
});
