import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleCommand, replayCommand, runReplay } from '../../src/replay/index.ts';
import { Collected, type TempDir, tempDir, writeJournal } from './replay-fixture.ts';
import { SEED_000_NODE, seed000Journal } from './seed-journals.ts';

let dir: TempDir;
let data: string;
beforeEach(async () => {
  dir = await tempDir();
  data = join(dir.path, 'data');
  await writeJournal(data, SEED_000_NODE, seed000Journal());
});
afterEach(() => dir.remove());

function io() {
  return { stdout: new Collected(), stderr: new Collected(), env: {} };
}

describe('the replay and bundle commands', () => {
  it('mount under taskd and replay with filters, exiting 1 on anomalies when asked', async () => {
    const streams = io();
    let code: number | undefined;
    const taskd = new Command('taskd').exitOverride().addCommand(replayCommand(streams, (c) => (code = c)));
    await taskd.parseAsync(['replay', data, '--kind', 'teardown', '--fail-on-anomaly'], { from: 'user' });
    expect(code).toBe(1);
    const lines = streams.stdout.text.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((line) => /(Shutdown|Teardown)\w+/.test(line))).toBe(true);
  });

  it('takes detector thresholds as flags and refuses bad ones with exit 2', async () => {
    const streams = io();
    let code: number | undefined;
    await replayCommand(streams, (c) => (code = c)).parseAsync([data, '--storm', 'three/60s'], {
      from: 'user',
    });
    expect(code).toBe(2);
    expect(streams.stderr.text).toBe('taskd replay: --storm: expected <count>/<window>, e.g. 3/60s\n');
    const ok = io();
    await replayCommand(ok, (c) => (code = c)).parseAsync([data, '--stall-window', '1s', '-f', 'json'], {
      from: 'user',
    });
    expect(code).toBe(0);
    expect(JSON.parse(ok.stdout.text).summary.anomaliesByKind['session-loss-after-stall']).toBeUndefined();
  });

  it('bundles a data directory and says what it wrote', async () => {
    const streams = io();
    let code: number | undefined;
    const out = join(dir.path, 'b.tar.gz');
    await bundleCommand(streams, (c) => (code = c)).parseAsync([data, '-o', out], { from: 'user' });
    expect(code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(streams.stdout.text).toMatch(/^wrote .*b\.tar\.gz: 1 journal files, no config, taskd \d/);
    expect(streams.stdout.text).toContain('note: no config file in');
    const failed = io();
    await bundleCommand(failed, (c) => (code = c)).parseAsync([join(dir.path, 'nope'), '-o', out], {
      from: 'user',
    });
    expect(code).toBe(2);
    expect(failed.stderr.text).toContain('is not a directory');
  });

  it('writes the report to a file with -o', async () => {
    const streams = io();
    const out = join(dir.path, 'report.html');
    expect(await runReplay({ inputs: [data], format: 'html', output: out }, streams)).toBe(0);
    expect(streams.stdout.text).toBe('');
    expect(existsSync(out)).toBe(true);
  });
});

describe('colours', () => {
  it('colour the text only on a terminal, and never with NO_COLOR', async () => {
    const tty = { stdout: new Collected(true), stderr: new Collected(), env: {} };
    await runReplay({ inputs: [data] }, tty);
    expect(tty.stdout.text).toContain('\x1b[');
    const noColor = { stdout: new Collected(true), stderr: new Collected(), env: { NO_COLOR: '1' } };
    await runReplay({ inputs: [data] }, noColor);
    expect(noColor.stdout.text).not.toContain('\x1b[');
    const piped = { stdout: new Collected(false), stderr: new Collected(), env: {} };
    await runReplay({ inputs: [data] }, piped);
    expect(piped.stdout.text).not.toContain('\x1b[');
  });
});
