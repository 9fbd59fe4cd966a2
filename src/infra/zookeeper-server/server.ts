import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { fourLetterWord, modeOf, type ZooKeeperMode } from './four-letter-word.ts';
import type { ZooKeeperInstall } from './install.ts';
import { jvmCommand } from './jvm-command.ts';
import { pollUntil } from './poll.ts';
import type { ClusterRecord } from './process-registry.ts';
import { logTail } from './server-log.ts';

export interface ZooKeeperServerOptions {
  readonly id: number;
  /** Holds zoo.cfg, server.log and data/ (written by the cluster before the first start). */
  readonly folder: string;
  readonly clientPort: number;
  readonly install: ZooKeeperInstall;
  readonly record: ClusterRecord;
  /** Servers in the ensemble; 1 means standalone. */
  readonly ensembleSize: number;
  /** Servers of the ensemble whose process runs now, this one included. */
  readonly runningMembers: () => number;
  readonly startTimeoutMs?: number;
}

const PROBE_TIMEOUT_MS = 1_000;
const EXIT_TIMEOUT_MS = 15_000;

/** One real ZooKeeper server process on loopback, driven by signals. */
export class ZooKeeperServer {
  readonly id: number;
  readonly clientPort: number;
  readonly connectString: string;
  readonly folder: string;
  readonly logPath: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private paused = false;

  constructor(private readonly options: ZooKeeperServerOptions) {
    this.id = options.id;
    this.clientPort = options.clientPort;
    this.connectString = `127.0.0.1:${options.clientPort}`;
    this.folder = options.folder;
    this.logPath = join(options.folder, 'server.log');
  }

  /** The JVM's pid while its process runs (paused included). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Starts the process if needed and waits until it serves (or, in an ensemble without quorum, answers). */
  async start(): Promise<void> {
    const child = this.child ?? this.spawnProcess();
    const goal = this.readinessGoal();
    await pollUntil(
      async () => {
        if (this.child !== child) throw this.failure(`server ${this.id} exited while starting`);
        return goal.reached();
      },
      {
        timeoutMs: this.options.startTimeoutMs ?? 60_000,
        what: `ZooKeeper server ${this.id} (${this.connectString}) to ${goal.what}`,
        detail: () => logTail(this.logPath),
      },
    );
  }

  /** SIGTERM, then waits for the exit (SIGKILL if it has not exited within 15 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.paused) this.signal('SIGCONT');
    this.signal('SIGTERM');
    try {
      await this.waitForExit('SIGTERM');
    } catch {
      this.signal('SIGKILL');
      await this.waitForExit('SIGKILL');
    }
  }

  /** SIGKILL (kill -9), then waits for the exit. */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.signal('SIGKILL');
    await this.waitForExit('SIGKILL');
  }

  /** stop() then start(), on the same ports and data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing, like a long GC pause. */
  async pause(): Promise<void> {
    this.signal('SIGSTOP');
    this.paused = true;
    await this.waitForProcessState(true);
  }

  /** SIGCONT after pause(). */
  async resume(): Promise<void> {
    this.signal('SIGCONT');
    this.paused = false;
    await this.waitForProcessState(false);
  }

  /** What `srvr` says; null when the server does not answer or is not serving. */
  async mode(): Promise<ZooKeeperMode | null> {
    try {
      return modeOf(
        await fourLetterWord('127.0.0.1', this.clientPort, 'srvr', { timeoutMs: PROBE_TIMEOUT_MS }),
      );
    } catch {
      return null;
    }
  }

  /** True when the server serves client requests (standalone, or a member of a quorum). */
  async isServing(): Promise<boolean> {
    return (await this.mode()) !== null;
  }

  /** True when the server answers `ruok` with `imok` (it may still be without quorum). */
  async isAlive(): Promise<boolean> {
    try {
      return (
        (await fourLetterWord('127.0.0.1', this.clientPort, 'ruok', { timeoutMs: PROBE_TIMEOUT_MS })) ===
        'imok'
      );
    } catch {
      return false;
    }
  }

  /** What start() waits for; re-evaluated at each poll, as peers start beside this server. */
  private readinessGoal(): { what: string; reached: () => Promise<boolean> } {
    const { ensembleSize, runningMembers } = this.options;
    if (ensembleSize === 1) {
      return { what: 'serve in standalone mode', reached: async () => (await this.mode()) === 'standalone' };
    }
    return {
      what: "join a quorum as leader or follower (or, while no majority runs, answer 'ruok')",
      reached: () => (runningMembers() > ensembleSize / 2 ? this.isServing() : this.isAlive()),
    };
  }

  private spawnProcess(): ChildProcess {
    const { file, args } = jvmCommand(this.options.install, join(this.folder, 'zoo.cfg'), process.pid);
    const log = openSync(this.logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(file, args, { cwd: this.folder, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    const pid = child.pid;
    if (pid === undefined) throw this.failure(`could not spawn ${this.options.install.java}`);
    this.options.record.addChild(pid, join(this.folder, 'zoo.cfg'));
    this.child = child;
    this.paused = false;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        this.options.record.removeChild(pid);
        if (this.child === child) this.child = undefined;
        this.paused = false;
        resolve();
      });
    });
    return child;
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid === undefined) throw this.failure(`server ${this.id} is not running (wanted to send ${signal})`);
    process.kill(pid, signal);
  }

  private async waitForExit(after: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.failure(`server ${this.id} did not exit within ${EXIT_TIMEOUT_MS} ms of ${after}`)),
        EXIT_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitForProcessState(stopped: boolean): Promise<void> {
    const pid = this.pid;
    // Without /proc (not Linux) there is nothing to check: the signal is delivered all the same.
    await pollUntil(() => [stopped, undefined].includes(isStopped(pid)), {
      timeoutMs: 5_000,
      intervalMs: 20,
      what: `server ${this.id} (pid ${pid}) to be ${stopped ? 'stopped by SIGSTOP' : 'running after SIGCONT'}`,
    });
  }

  private failure(message: string): TaskdError {
    return new TaskdError(ErrorCodes.ZK_OTHER, `${message}\n${logTail(this.logPath)}`, {
      server: this.id,
      clientPort: this.clientPort,
      logPath: this.logPath,
    });
  }
}

/** Reads the state letter of /proc/<pid>/stat ('T' = stopped); undefined when it cannot tell. */
function isStopped(pid: number | undefined): boolean | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'T' || state === 't';
  } catch {
    return undefined;
  }
}
