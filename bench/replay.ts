/**
 * Replay throughput and memory, for journals of 100k and 1M events (three nodes' journals, see
 * replay-journals.ts, in a temp directory):
 * - fold: every event read, checksummed, parsed, validated, folded by the domain's `evolve`, seen
 *   by every detector, the end sections rendered; no timeline (`taskd replay --no-timeline`).
 *   Its events/s is "events folded per second".
 * - json, text: the same plus the whole timeline narrated and streamed, into a sink that counts
 *   bytes and throws them away (the output of a 1M-event JSON timeline is ~400 MiB).
 * Each measurement runs in a child process of its own, so its peak RSS (the kernel's maxrss) is its
 * own, and is repeated (--repeat, default 3: the machine may be shared) to report the median. Both
 * times are reported: the replay itself (events/s is computed from it) and the whole child process,
 * start-up and module loading included.
 *
 *   npx tsx bench/replay.ts [--sizes 100000,1000000] [--modes fold,json,text] [--repeat 3] [--max-seconds 600]
 *
 * Bounded in time: past --max-seconds the run stops and says so. Writes bench/results/replay.json;
 * removes its files.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runReplay } from '../src/replay/index.ts';
import { writeJournals } from './replay-journals.ts';

const MODES = ['fold', 'json', 'text'] as const;
type Mode = (typeof MODES)[number];

/** What one child measured. */
interface Measurement {
  readonly replaySeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly outputMiB: number;
}

interface Row {
  readonly events: number;
  /** fold (no timeline), json or text (timeline streamed). */
  readonly format: Mode;
  readonly repeats: number;
  readonly generateSeconds: number;
  /** Medians over the repeats. */
  readonly replaySeconds: number;
  readonly eventsPerSecond: number;
  readonly cpuSeconds: number;
  readonly commandSeconds: number;
  /** The largest of the repeats. */
  readonly peakRssMiB: number;
  readonly outputMiB: number;
  /** Every repeat's events/s, in the order measured. */
  readonly eachEventsPerSecond: readonly number[];
}

const argument = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
};

/** A stdout that counts bytes and throws them away. */
function countingSink(): { stream: { write(chunk: string): boolean; once(): void }; bytes: () => number } {
  let bytes = 0;
  return {
    stream: {
      write(chunk: string) {
        bytes += Buffer.byteLength(chunk);
        return true;
      },
      once() {},
    },
    bytes: () => bytes,
  };
}

/** The child's side: one replay of `dir` in `mode`, its figures printed as one JSON line. */
async function measureHere(dir: string, mode: Mode): Promise<void> {
  const sink = countingSink();
  const stderr = { write: (chunk: string) => process.stderr.write(chunk), once() {}, isTTY: false };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const code = await runReplay(
    { inputs: [dir], format: mode === 'text' ? 'text' : 'json', timeline: mode !== 'fold', progress: false },
    { stdout: sink.stream, stderr, env: {} },
  );
  const replaySeconds = (performance.now() - started) / 1_000;
  const used = process.cpuUsage(cpu);
  if (code !== 0) throw new Error(`replay exited ${code}`);
  const measurement: Measurement = {
    replaySeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    outputMiB: sink.bytes() / 2 ** 20,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

/** Runs one measurement in a child process; resolves with it and the child's whole wall time. */
function measureInChild(dir: string, mode: Mode): Promise<Measurement & { commandSeconds: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', dir, mode],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const commandSeconds = (performance.now() - started) / 1_000;
      if (code !== 0) reject(new Error(`measuring ${mode} exited ${code}`));
      else resolve({ ...(JSON.parse(out.trim()) as Measurement), commandSeconds });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function hundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

async function measureSize(size: number, modes: readonly Mode[], repeats: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'taskd-bench-replay-'));
  try {
    const started = performance.now();
    await writeJournals(dir, size);
    const generateSeconds = (performance.now() - started) / 1_000;
    const rows: Row[] = [];
    for (const mode of modes) {
      const runs = [];
      for (let i = 0; i < repeats; i++) runs.push(await measureInChild(dir, mode));
      const rates = runs.map((run) => Math.round(size / run.replaySeconds));
      const row: Row = {
        events: size,
        format: mode,
        repeats,
        generateSeconds: round(generateSeconds),
        replaySeconds: hundredths(median(runs.map((run) => run.replaySeconds))),
        eventsPerSecond: Math.round(median(rates)),
        cpuSeconds: hundredths(median(runs.map((run) => run.cpuSeconds))),
        commandSeconds: round(median(runs.map((run) => run.commandSeconds))),
        peakRssMiB: round(Math.max(...runs.map((run) => run.peakRssMiB))),
        outputMiB: round(median(runs.map((run) => run.outputMiB))),
        eachEventsPerSecond: rates,
      };
      rows.push(row);
      console.log(
        `${String(size).padStart(9)} events  ${mode.padEnd(4)}  ${String(row.eventsPerSecond).padStart(9)} events/s ` +
          `(replay ${row.replaySeconds.toFixed(2)} s, cpu ${row.cpuSeconds.toFixed(2)} s; whole command ${row.commandSeconds.toFixed(1)} s)  ` +
          `peak RSS ${row.peakRssMiB.toFixed(1).padStart(6)} MiB  output ${row.outputMiB.toFixed(1)} MiB  ` +
          `[each: ${rates.join(', ')}]`,
      );
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = argument('--sizes', '100000,1000000').split(',').map(Number);
  const modes = argument('--modes', MODES.join(','))
    .split(',')
    .filter((mode): mode is Mode => (MODES as readonly string[]).includes(mode));
  const repeats = Math.max(1, Number(argument('--repeat', '3')));
  const maxSeconds = Number(argument('--max-seconds', '600'));
  const watchdog = setTimeout(() => {
    console.error(`bench/replay.ts: stopped after ${maxSeconds} s (--max-seconds)`);
    process.exit(3);
  }, maxSeconds * 1_000);
  watchdog.unref();
  const rows: Row[] = [];
  for (const size of sizes) rows.push(...(await measureSize(size, modes, repeats)));
  const results = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(
    join(results, 'replay.json'),
    `${JSON.stringify({ node: process.version, at: new Date().toISOString(), rows }, null, 2)}\n`,
  );
  clearTimeout(watchdog);
}

const measuring = process.argv.indexOf('--measure');
if (measuring === -1) await main();
else await measureHere(process.argv[measuring + 1] ?? '', (process.argv[measuring + 2] ?? 'fold') as Mode);
