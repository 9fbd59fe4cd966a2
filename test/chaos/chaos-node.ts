/**
 * One taskd node of a chaos run across its processes: kill -9 and start again under the same id,
 * folder and port, pause and resume. Every process's end is kept with what the schedule asked for,
 * so that the oracle can tell an exit the schedule caused from one it did not.
 */
import {
  type NodeExit,
  NodeProcess,
  type NodeProcessOptions,
} from '../../src/cli/local-cluster/node-process.ts';

/** How one process of the node ended, and how the schedule meant it to. */
export interface ProcessLife {
  readonly pid: number | undefined;
  readonly startedAt: number;
  /**
   * What the schedule did to end it; undefined while it should still run. `journal-disk-full`: the
   * schedule filled its disk, so it must stop on its own (exit 70).
   */
  intent?: 'SIGKILL' | 'SIGTERM' | 'journal-disk-full';
  exit?: NodeExit;
  exitedAt?: number;
}

export class ChaosNode {
  readonly lives: ProcessLife[] = [];
  private process: NodeProcess;
  private paused = false;

  constructor(private readonly options: NodeProcessOptions) {
    this.process = this.spawn();
  }

  get id(): string {
    return this.options.nodeId;
  }

  get current(): NodeProcess {
    return this.process;
  }

  get running(): boolean {
    return this.process.running;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get dir(): string {
    return this.options.dir;
  }

  /** kill -9, then waits for the exit. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** SIGTERM (SIGCONT first), then waits for the exit; SIGKILL after `graceMs`. */
  async stop(graceMs = 30_000): Promise<NodeExit> {
    const life = this.lives.at(-1);
    if (life !== undefined && this.process.running) life.intent = 'SIGTERM';
    this.paused = false;
    return this.process.stop(graceMs);
  }

  /** Says the current process is meant to end on its own, because of `why`. */
  expectEnd(why: 'journal-disk-full'): void {
    const life = this.lives.at(-1);
    if (life !== undefined && this.process.running) life.intent = why;
  }

  /** The current process's exit, or undefined if it still runs after `timeoutMs`. */
  async exitWithin(timeoutMs: number): Promise<NodeExit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([this.process.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A new process under the same id, folder and port (after the previous one ended). */
  start(): void {
    if (this.process.running) throw new Error(`node ${this.id} still runs (pid ${this.process.pid})`);
    this.process = this.spawn();
  }

  pause(): void {
    this.process.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    this.process.signal('SIGCONT');
    this.paused = false;
  }

  /** GET a JSON path on the current process; undefined when it does not answer. */
  get<T>(path: string): Promise<T | undefined> {
    return this.process.get<T>(path);
  }

  private async end(signal: 'SIGKILL'): Promise<void> {
    const life = this.lives.at(-1);
    if (life !== undefined && this.process.running) life.intent = signal;
    this.process.signal(signal);
    this.paused = false;
    await this.process.exited;
  }

  private spawn(): NodeProcess {
    const process = new NodeProcess(this.options);
    const life: ProcessLife = { pid: process.pid, startedAt: Date.now() };
    this.lives.push(life);
    void process.exited.then((exit) => {
      life.exit = exit;
      life.exitedAt = Date.now();
    });
    return process;
  }
}
