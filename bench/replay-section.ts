/**
 * Replay figures, measured by bench/replay.ts in a child process: events folded per second (no
 * timeline: read, checked, parsed, folded, seen by every detector) held to the aim of 1M/s,
 * and the whole replay with a JSON or text timeline streamed, each with its peak RSS, for 100k and
 * 1M journal events. When that file is missing the section says so in its one row.
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
  /** fold (no timeline), json or text. */
  readonly format: string;
  readonly repeats: number;
  readonly replaySeconds: number;
  readonly eventsPerSecond: number;
  readonly commandSeconds: number;
  readonly peakRssMiB: number;
}

/** The aim for replay: events folded per second. */
const AIM_EVENTS_PER_SECOND = 1_000_000;

/** Runs bench/replay.ts within `maxSeconds` and turns its results into rows. */
export async function measureReplay(cleanup: Cleanup, maxSeconds = 300): Promise<Section> {
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
  const rows: Row[] = raw.rows.map((r) => {
    const figures = `${count(r.eventsPerSecond)} events/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`;
    const note = `median of ${r.repeats}: ${r.replaySeconds} s for the replay, ${r.commandSeconds} s for the whole process`;
    if (r.format !== 'fold') {
      return {
        measure: `replay: ${count(r.events)} journal events, ${r.format} timeline`,
        taskd: figures,
        note,
      };
    }
    return {
      measure: `replay: ${count(r.events)} journal events folded (no timeline)`,
      taskd: figures,
      ratio: r.eventsPerSecond / AIM_EVENTS_PER_SECOND,
      aim: `≥ ${count(AIM_EVENTS_PER_SECOND)} events/s`,
      met: r.eventsPerSecond >= AIM_EVENTS_PER_SECOND,
      note,
    };
  });
  return { name: 'replay', rows, raw };
}
