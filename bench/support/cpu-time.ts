/**
 * CPU time, read from /proc: what a run cost the processes that did its work (user + system time of
 * all their threads), and how busy the whole machine was. On a machine that runs the servers, the
 * nodes and the client side by side, this says where the cores went, which a rate alone cannot.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux this runs on). */
const TICKS = 100;

/** User + system seconds `pid` has used so far; 0 when it is gone or not readable. */
function processSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** The machine's busy and total CPU seconds so far (all cores). */
function machineSeconds(): { busy: number; total: number } {
  const [, ...times] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const values = times.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

/** CPU seconds by group of processes between `start` and `stop`, and the machine's busy share. */
export interface CpuUse {
  /** Seconds per group, e.g. { nodes: 4.2, zookeeper: 3.1 }. */
  readonly seconds: Readonly<Record<string, number>>;
  /** Busy share of all cores over the window, 0..1. */
  readonly machineBusy: number;
}

/** CPU seconds of all the groups together; 0 when not measured. */
export function cpuTotal(cpu: CpuUse | undefined): number {
  return Object.values(cpu?.seconds ?? {}).reduce((sum, seconds) => sum + seconds, 0);
}

/** "nodes 0.29 s + zookeeper 0.16 s = 0.45 s (machine 89% busy)"; one group has no sum. */
export function formatCpu(cpu: CpuUse | undefined): string {
  if (cpu === undefined) return 'not measured';
  const parts = Object.entries(cpu.seconds);
  const each = parts.map(([name, seconds]) => `${name} ${seconds.toFixed(2)} s`).join(' + ');
  const total = parts.length > 1 ? `${each} = ${cpuTotal(cpu).toFixed(2)} s` : each;
  return `${total} (machine ${(100 * cpu.machineBusy).toFixed(0)}% busy)`;
}

/** Starts a window over the groups' processes; `stop` reads them again (before any of them exits). */
export function cpuWindow(groups: Readonly<Record<string, readonly number[]>>): { stop: () => CpuUse } {
  const read = () =>
    Object.fromEntries(
      Object.entries(groups).map(([name, pids]) => [
        name,
        pids.reduce((s, pid) => s + processSeconds(pid), 0),
      ]),
    );
  const before = read();
  const machineBefore = machineSeconds();
  return {
    stop: () => {
      const after = read();
      const machineAfter = machineSeconds();
      const total = machineAfter.total - machineBefore.total;
      return {
        seconds: Object.fromEntries(
          Object.keys(groups).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)]),
        ),
        machineBusy: total > 0 ? (machineAfter.busy - machineBefore.busy) / total : Number.NaN,
      };
    },
  };
}
