/**
 * Replay figures, measured by bench/replay.ts (another helper's benchmark) in a child process:
 * events folded per second and peak RSS for 100k and 1M journal events. When that file is missing
 * the section says so in its one row.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './support/cleanup.ts';
import { count, type Row, type Section } from './support/report.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(HERE, 'replay.ts');
const RESULTS = join(HERE, 'results', 'replay.json');

interface ReplayRow {
  readonly events: number;
  readonly format: string;
  readonly replaySeconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
}

/** Runs bench/replay.ts within `maxSeconds` and turns its results into rows. */
export async function measureReplay(cleanup: Cleanup, maxSeconds = 120): Promise<Section> {
  if (!existsSync(SCRIPT)) {
    return {
      name: 'replay',
      rows: [{ measure: 'replay', taskd: 'not measured (bench/replay.ts missing)' }],
      raw: null,
    };
  }
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--max-seconds', String(maxSeconds)], {
    cwd: join(HERE, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = cleanup.add(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  const code = await exited;
  await stop();
  const fresh = existsSync(RESULTS) && statSync(RESULTS).mtimeMs >= startedAt;
  if (code !== 0 || !fresh) {
    const why = `not measured (bench/replay.ts exited ${code}${fresh ? '' : ', no fresh results/replay.json'})`;
    return { name: 'replay', rows: [{ measure: 'replay', taskd: why }], raw: null };
  }
  const raw = JSON.parse(readFileSync(RESULTS, 'utf8')) as { rows: ReplayRow[] };
  const rows: Row[] = raw.rows.map((r) => ({
    measure: `replay: ${count(r.events)} journal events, ${r.format} timeline`,
    taskd: `${count(r.eventsPerSecond)} events/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
    note: `measured by bench/replay.ts (${r.replaySeconds} s for the replay)`,
  }));
  return { name: 'replay', rows, raw };
}
