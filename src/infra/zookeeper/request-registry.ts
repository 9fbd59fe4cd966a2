/**
 * Every request of the session goes through here and gets a deadline. node-zookeeper-client 1.1.3
 * queues requests made while disconnected with no timeout at all (the callback may never come).
 *
 * Past its deadline a request fails with ZK_TIMEOUT. If it was still waiting in the library's queue
 * (never written to the socket), it is withdrawn from that queue, so it can never run later when the
 * connection returns, and the error says `sent: false`. To find it, the library's `queue` is wrapped
 * to note which packet each call creates (the client methods call it synchronously).
 */
import { ErrorCodes, TaskdError } from '../../errors.ts';
import type { ConnectionManager } from './connection-manager.ts';
import { protocolError, translateZkError, type ZkErrorContext } from './zk-errors.ts';

/** The library's callback convention. */
export type LibraryCallback = (error: unknown, ...values: unknown[]) => void;

interface Outstanding {
  readonly context: ZkErrorContext;
  request: unknown;
  timer: NodeJS.Timeout | undefined;
  fail(error: TaskdError): void;
}

export class RequestRegistry {
  private readonly outstanding = new Set<Outstanding>();
  private capturing: Outstanding | undefined;
  private deadEnd: ((context: ZkErrorContext) => TaskdError) | undefined;

  constructor(
    private readonly cm: ConnectionManager,
    private readonly deadlineMs: number,
  ) {
    const originalQueue = cm.queue;
    const registry = this;
    cm.queue = function queue(this: ConnectionManager, request: unknown, callback?: LibraryCallback) {
      if (registry.capturing) {
        registry.capturing.request = request;
        registry.capturing = undefined;
      }
      originalQueue.call(this, request, callback);
    };
  }

  /**
   * Starts a request with `invoke` (which calls the library with `done`) and maps the library's
   * results with `map`. `map` may throw a TaskdError to reject with it.
   */
  run<T>(
    context: ZkErrorContext,
    invoke: (done: LibraryCallback) => void,
    map: (...values: unknown[]) => T,
  ): Promise<T> {
    if (this.deadEnd) return Promise.reject(this.deadEnd(context));
    return new Promise<T>((resolve, reject) => {
      const entry: Outstanding = {
        context,
        request: undefined,
        timer: undefined,
        fail: (error) => {
          if (this.settle(entry)) reject(error);
        },
      };
      const done: LibraryCallback = (error, ...values) => {
        if (!this.outstanding.has(entry)) return;
        if (error) {
          entry.fail(translateZkError(error, context));
          return;
        }
        let value: T;
        try {
          value = map(...values);
        } catch (mapped) {
          // A TaskdError is the mapper's verdict; anything else means the reply had an unexpected shape.
          entry.fail(mapped instanceof TaskdError ? mapped : protocolError(mapped, context));
          return;
        }
        if (this.settle(entry)) resolve(value);
      };
      this.outstanding.add(entry);
      entry.timer = setTimeout(() => this.expire(entry), this.deadlineMs);
      this.capturing = entry;
      try {
        invoke(done);
      } catch (error) {
        entry.fail(translateZkError(error, context));
      } finally {
        this.capturing = undefined;
      }
    });
  }

  /**
   * Fails the requests the library lost: written, not answered, yet no longer in its queues (the
   * reply being parsed when a protocol error was thrown). Their outcome is unknown.
   */
  failLost(error: (context: ZkErrorContext) => TaskdError): void {
    const queued = new Set([...this.cm.packetQueue.queue, ...this.cm.pendingQueue].map((p) => p.request));
    for (const entry of [...this.outstanding]) {
      if (entry.request !== undefined && !queued.has(entry.request)) entry.fail(error(entry.context));
    }
  }

  /** Fails every outstanding request, and every later one, with `error` (the session is dead). */
  failAll(error: (context: ZkErrorContext) => TaskdError): void {
    this.deadEnd ??= error;
    for (const entry of [...this.outstanding]) entry.fail(this.deadEnd(entry.context));
  }

  private settle(entry: Outstanding): boolean {
    if (!this.outstanding.delete(entry)) return false;
    clearTimeout(entry.timer);
    return true;
  }

  private expire(entry: Outstanding): void {
    const queue = this.cm.packetQueue.queue;
    const index =
      entry.request === undefined ? -1 : queue.findIndex((packet) => packet.request === entry.request);
    if (index >= 0) queue.splice(index, 1);
    const { context } = entry;
    const where = context.path === undefined ? context.op : `${context.op} ${context.path}`;
    entry.fail(
      new TaskdError(ErrorCodes.ZK_TIMEOUT, `${where}: no answer within ${this.deadlineMs} ms`, {
        ...context,
        sent: index < 0,
        timeoutMs: this.deadlineMs,
      }),
    );
  }
}
