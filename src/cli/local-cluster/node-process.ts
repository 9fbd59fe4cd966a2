/**
 * A taskd node as a real child process on this machine: for the demo, the benchmarks and the
 * end-to-end tests. Output goes to a log file in the node's folder; signals are the real ones.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TASKD = fileURLToPath(new URL('../../../bin/taskd.js', import.meta.url));

export interface NodeProcessOptions {
  readonly nodeId: string;
  readonly cluster: string;
  readonly zk: string;
  /** The node's folder: its data directory and its log file live here. */
  readonly dir: string;
  readonly port: number;
  readonly sessionTimeoutMs?: number;
  readonly logBackend?: 'zookeeper' | 'file' | 'eventstoredb';
  readonly capacity?: number;
  readonly extraArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Argv that runs `node bin/taskd.js …` for us, e.g. `['ip', 'netns', 'exec', NS]` to start the node
   * inside a network namespace. It must exec the command (not fork it), so signals reach taskd itself.
   */
  readonly commandPrefix?: readonly string[];
}

export interface NodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One running taskd process. */
export class NodeProcess {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly logPath: string;
  readonly exited: Promise<NodeExit>;
  private readonly child: ChildProcess;
  private exit: NodeExit | undefined;

  constructor(readonly options: NodeProcessOptions) {
    this.dataDir = join(options.dir, 'data');
    this.logPath = join(options.dir, 'taskd.log');
    this.endpoint = `http://127.0.0.1:${options.port}`;
    mkdirSync(options.dir, { recursive: true });
    const out = openSync(this.logPath, 'a');
    const args = [
      TASKD,
      'start',
      '--node-id',
      options.nodeId,
      '--cluster',
      options.cluster,
      '--zk',
      options.zk,
      '--data-dir',
      this.dataDir,
      '--listen',
      `127.0.0.1:${options.port}`,
      '--session-timeout-ms',
      String(options.sessionTimeoutMs ?? 2_000),
      '--log-backend',
      options.logBackend ?? 'zookeeper',
      '--capacity',
      String(options.capacity ?? 4),
      ...(options.extraArgs ?? []),
    ];
    const [file = process.execPath, ...prefixArgs] = [...(options.commandPrefix ?? []), process.execPath];
    this.child = spawn(file, [...prefixArgs, ...args], {
      stdio: ['ignore', out, out],
      env: { ...process.env, ...options.env },
    });
    closeSync(out);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Sends a signal (SIGKILL, SIGSTOP, SIGCONT, SIGTERM...). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then the exit (SIGKILL after `graceMs`). */
  async stop(graceMs = 30_000): Promise<NodeExit> {
    if (!this.running) return this.exit as NodeExit;
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** GET a JSON path on the node's API; undefined when it does not answer. */
  async get<T>(path: string): Promise<T | undefined> {
    try {
      const response = await fetch(`${this.endpoint}${path}`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return undefined;
      return (await response.json()) as T;
    } catch {
      return undefined;
    }
  }
}
