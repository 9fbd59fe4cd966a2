/**
 * ZooKeeper watches are one-shot; this turns them into observables that stay armed.
 *
 * Each emission comes from a read that also arms the next watch (getData/getChildren/exists with
 * a watcher), so no change can slip between a fire and the re-arm: the value read is at least as new
 * as the watch. The watch is re-read after every fire and after every reconnect (a read that failed
 * while disconnected armed nothing), and a retryable failure while connected is retried after a
 * short pause. Consecutive reads with the same version are emitted once.
 *
 * The library keeps watcher functions until they fire and cannot remove them, so each path gets one
 * stable function (the library de-duplicates by function) shared by every subscription on it.
 */

import zookeeper from 'node-zookeeper-client';
import { Observable } from 'rxjs';
import type { TaskdError } from '../../errors.ts';
import type { LibraryWatcher, Operations } from './operations.ts';
import type { NodeChildren, NodeData, ZkStat } from './types.ts';
import { isRetryableZkError, translateZkError } from './zk-errors.ts';

interface Cursor {
  /** Event types (zookeeper.Event.*) this subscription re-reads on. */
  readonly events: ReadonlySet<number>;
  trigger(): void;
  end(error?: TaskdError): void;
}

interface PathEntry {
  readonly watcher: LibraryWatcher;
  readonly cursors: Set<Cursor>;
}

export interface WatchHubDeps {
  readonly read: Pick<Operations, 'getData' | 'exists' | 'getChildren'>;
  readonly isConnected: () => boolean;
  /** Pause before re-reading after a retryable failure while connected. */
  readonly retryDelayMs: number;
}

const { Event } = zookeeper;
const NODE_EVENTS = new Set([Event.NODE_CREATED, Event.NODE_DELETED, Event.NODE_DATA_CHANGED]);
const CHILD_EVENTS = new Set([Event.NODE_CREATED, Event.NODE_DELETED, Event.NODE_CHILDREN_CHANGED]);

const statKey = (stat: ZkStat | null) => (stat ? `${stat.czxid}/${stat.mzxid}` : 'absent');
const childrenKey = (value: NodeChildren | null) =>
  value ? `${value.stat.czxid}/${value.stat.cversion}` : 'absent';

export class WatchHub {
  private readonly paths = new Map<string, PathEntry>();
  private readonly cursors = new Set<Cursor>();
  private ended: { readonly error?: TaskdError } | undefined;

  constructor(private readonly deps: WatchHubDeps) {}

  /** Data of `path` (null while absent). */
  data$(path: string): Observable<NodeData | null> {
    const { read } = this.deps;
    return this.watch$(
      path,
      NODE_EVENTS,
      (watcher) => this.untilStable(path, watcher, read.getData),
      (value) => statKey(value?.stat ?? null),
    );
  }

  /** Children of `path` (null while absent). */
  children$(path: string): Observable<NodeChildren | null> {
    const { read } = this.deps;
    return this.watch$(
      path,
      CHILD_EVENTS,
      (watcher) => this.untilStable(path, watcher, read.getChildren),
      childrenKey,
    );
  }

  /** Stat of `path` (null while absent). */
  exists$(path: string): Observable<ZkStat | null> {
    return this.watch$(path, NODE_EVENTS, (watcher) => this.deps.read.exists(path, watcher), statKey);
  }

  /**
   * Each fire of a data watch on `path`, as it arrives and before data$ re-reads (and once after each
   * reconnect): a hint that the znode may have changed, for a reader that can start its follow-up
   * read in the same turn as that re-read. It arms nothing: a data$ on the same path does. Completes
   * when the session ends (data$ carries the error).
   */
  fires$(path: string): Observable<void> {
    return new Observable<void>((subscriber) => {
      if (this.ended) {
        subscriber.complete();
        return undefined;
      }
      const entry = this.entryFor(path);
      const stop = () => {
        this.cursors.delete(cursor);
        entry.cursors.delete(cursor);
      };
      const cursor: Cursor = {
        events: NODE_EVENTS,
        trigger: () => subscriber.next(),
        end: () => {
          stop();
          subscriber.complete();
        },
      };
      this.cursors.add(cursor);
      entry.cursors.add(cursor);
      return stop;
    });
  }

  /** The session (re)connected: every watch re-reads, which re-arms what a failed read could not. */
  reconnected(): void {
    for (const cursor of [...this.cursors]) cursor.trigger();
  }

  /** The session is gone: completes every watch (or errors it with `error`) and refuses new ones. */
  end(error?: TaskdError): void {
    if (this.ended) return;
    this.ended = error ? { error } : {};
    for (const cursor of [...this.cursors]) cursor.end(error);
  }

  /**
   * Reads `path` arming the watch; when it is absent, arms an existence watch instead (a failed
   * getData/getChildren arms nothing). If it appeared in between, reads again.
   */
  private async untilStable<T>(
    path: string,
    watcher: LibraryWatcher,
    readPresent: (path: string, watcher: LibraryWatcher) => Promise<T | null>,
  ): Promise<T | null> {
    for (;;) {
      const value = await readPresent(path, watcher);
      if (value !== null) return value;
      if ((await this.deps.read.exists(path, watcher)) === null) return null;
    }
  }

  private entryFor(path: string): PathEntry {
    const existing = this.paths.get(path);
    if (existing) return existing;
    const cursors = new Set<Cursor>();
    const watcher: LibraryWatcher = (event) => {
      // Called inside the library's socket handler: react outside it.
      queueMicrotask(() => {
        for (const cursor of [...cursors]) if (cursor.events.has(event.getType())) cursor.trigger();
      });
    };
    const entry = { watcher, cursors };
    this.paths.set(path, entry);
    return entry;
  }

  private watch$<T>(
    path: string,
    events: ReadonlySet<number>,
    read: (watcher: LibraryWatcher) => Promise<T>,
    key: (value: T) => string,
  ): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.ended) {
        if (this.ended.error) subscriber.error(this.ended.error);
        else subscriber.complete();
        return undefined;
      }
      const entry = this.entryFor(path);
      let active = true;
      let reading = false;
      let again = false;
      let lastKey: string | undefined;
      let retryTimer: NodeJS.Timeout | undefined;

      const stop = () => {
        active = false;
        clearTimeout(retryTimer);
        this.cursors.delete(cursor);
        entry.cursors.delete(cursor);
        // The entry (and its watcher function) stays: the library keeps every function it was given
        // until the watch fires and cannot drop one, so a new function per resubscription would pile
        // up listeners. One entry per path this session ever watched; the session's end frees all.
      };
      const cycle = async () => {
        do {
          again = false;
          try {
            const value = await read(entry.watcher);
            if (!active) return;
            const next = key(value);
            if (next !== lastKey) {
              lastKey = next;
              subscriber.next(value);
            }
          } catch (error) {
            if (!active) return;
            if (!isRetryableZkError(error)) {
              cursor.end(translateZkError(error, { op: 'watch', path }));
              return;
            }
            // Disconnected: the reconnect triggers the next read. Connected: retry shortly.
            if (this.deps.isConnected()) {
              clearTimeout(retryTimer);
              retryTimer = setTimeout(cursor.trigger, this.deps.retryDelayMs);
            }
          }
        } while (again && active);
        reading = false;
      };
      const cursor: Cursor = {
        events,
        trigger: () => {
          if (!active) return;
          if (reading) {
            again = true;
            return;
          }
          reading = true;
          void cycle();
        },
        end: (error) => {
          if (!active) return;
          stop();
          if (error) subscriber.error(error);
          else subscriber.complete();
        },
      };
      this.cursors.add(cursor);
      entry.cursors.add(cursor);
      cursor.trigger();
      return stop;
    });
  }
}
