/**
 * The HTML report rendered by a real headless Chromium (Debian package `chromium`): the script draws
 * one lane per node, prints nothing to the console, and a screenshot is kept in test-output/ for
 * people to look at. Without Chromium this test fails and says how to install it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay, type TempDir, tempDir, writeJournal } from './replay-fixture.ts';
import { SEED_001_NODES, seed001Journals } from './seed-journals.ts';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get install -y chromium';
const OUTPUT_DIR = join(import.meta.dirname, '..', '..', 'test-output');

let dir: TempDir;
let page: string;
beforeAll(async () => {
  dir = await tempDir();
  const journals = join(dir.path, 'data');
  for (const [node, events] of seed001Journals()) await writeJournal(journals, node, events);
  const result = await replay({ inputs: [journals], format: 'html' });
  expect(result.code).toBe(0);
  page = join(dir.path, 'seed-001.html');
  await writeFile(page, result.stdout);
});
afterAll(() => dir.remove());

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** Runs headless Chromium on the page with `extra` flags, in a profile of its own, within a bound. */
async function chromium(extra: readonly string[]): Promise<Run> {
  if (!existsSync(CHROMIUM))
    throw new Error(`headless Chromium is needed at ${CHROMIUM}: install it with \`${INSTALL}\``);
  const profile = await mkdtemp(join(tmpdir(), 'taskd-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    '--enable-logging=stderr',
    '--v=0',
    ...extra,
    pathToFileURL(page).href,
  ];
  try {
    return await new Promise<Run>((resolve, reject) => {
      const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code });
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Lines where the page spoke to its console or threw. */
function consoleLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /:CONSOLE|Uncaught/.test(line));
}

describe('the HTML report in a real browser', () => {
  it('finds Chromium installed', () => {
    expect(
      existsSync(CHROMIUM),
      `headless Chromium is needed at ${CHROMIUM}: install it with \`${INSTALL}\``,
    ).toBe(true);
  });

  it('draws one lane per node and prints nothing to the console', { timeout: 120_000 }, async () => {
    const run = await chromium(['--dump-dom']);
    expect(run.code).toBe(0);
    const lanes = [...run.stdout.matchAll(/<section class="lane" data-node="([^"]+)">/g)].map(
      (match) => match[1],
    );
    expect(lanes).toEqual([...SEED_001_NODES]);
    expect(run.stdout).toContain('Anomalies (4)');
    expect(consoleLines(run.stderr)).toEqual([]);
  });

  it('renders a screenshot into test-output/', { timeout: 120_000 }, async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    const png = join(OUTPUT_DIR, 'replay-seed-001.png');
    await rm(png, { force: true });
    const run = await chromium([`--screenshot=${png}`, '--window-size=1400,900']);
    expect(run.code).toBe(0);
    expect((await stat(png)).size).toBeGreaterThan(10_000);
    expect(consoleLines(run.stderr)).toEqual([]);
  });
});
