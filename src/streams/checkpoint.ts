/**
 * State checkpoints: now and then, the hash of this node's state and of its fold of the task log is
 * journaled, so that `taskd replay` (and the determinism test) can prove that the journal and the log
 * rebuild exactly the states the node had live (DESIGN §2: "replaying it rebuilds the node's state
 * sequence exactly").
 *
 * The fold of the task log can hold tens of thousands of tasks: hashing it at once stalled the event
 * loop for 100–200 ms per checkpoint (and every task submitted meanwhile waited). So the periodic
 * checkpoint captures the fold and its position, hashes it a few milliseconds per turn of the event
 * loop (the fold is immutable: what was captured hashes the same however long it takes), and then
 * journals both hashes: the node state's is taken at that moment, as replay checks it against the
 * state just before the StateCheckpoint entry.
 */
import { interval, Observable, type SchedulerLike } from 'rxjs';
import { exhaustMap } from 'rxjs/operators';
import { recordEvent } from '../domain/node/index.ts';
import type { TasksState } from '../domain/task/index.ts';
import { stateHash, stateHashInSlices } from '../infra/state-hash.ts';
import type { NodeStore } from './node-store.ts';
import type { TaskView } from './task-view.ts';

export const MAX_HASHED_TASKS = 20_000;
/** Longest a checkpoint's hashing holds the event loop at a time. */
export const CHECKPOINT_SLICE_MS = 4;

/** The task fold's hash at a position, as StateCheckpoint carries it. */
export interface TasksHash {
  readonly position: number;
  readonly hash: string;
}

/** The fold to hash now: caught up and not too large (past MAX_HASHED_TASKS only the node state is). */
function foldToHash(view: TaskView | undefined): { position: number; state: TasksState } | undefined {
  if (!view?.caughtUp() || view.current().tasks.size > MAX_HASHED_TASKS) return undefined;
  return { position: view.position(), state: view.current() };
}

/** Journals one StateCheckpoint for the current states, hashing the fold at once (at shutdown). */
export function recordCheckpoint(
  store: NodeStore,
  view: TaskView | undefined,
  scheduler: SchedulerLike,
): void {
  const fold = foldToHash(view);
  record(store, scheduler, fold && { position: fold.position, hash: stateHash(fold.state) });
}

/** Journals one StateCheckpoint: the node state's hash now, and the fold's hash taken earlier. */
function record(store: NodeStore, scheduler: SchedulerLike, tasks: TasksHash | undefined): void {
  const data = { node: stateHash(store.current()), ...(tasks === undefined ? {} : { tasks }) };
  store.record([recordEvent(store.current(), scheduler.now(), 'StateCheckpoint', data)]);
}

/** The hash of the fold as it is now, computed a slice at a time; undefined when none is taken. */
export async function hashFoldInSlices(
  view: TaskView | undefined,
  signal: AbortSignal,
  memo?: WeakMap<object, string>,
): Promise<TasksHash | undefined> {
  const fold = foldToHash(view);
  if (fold === undefined) return undefined;
  const options = { sliceMs: CHECKPOINT_SLICE_MS, signal, ...(memo === undefined ? {} : { memo }) };
  return { position: fold.position, hash: await stateHashInSlices(fold.state, options) };
}

/**
 * A checkpoint every `intervalMs`; emits nothing. A checkpoint whose hashing is still running when
 * the next one is due lets that one go; unsubscribing stops a hashing under way (nothing journaled).
 */
export function checkpoints$(
  store: NodeStore,
  view: () => TaskView | undefined,
  scheduler: SchedulerLike,
  intervalMs: number,
): Observable<never> {
  // Tasks that did not change between two checkpoints are serialized once (state-hash.ts).
  const memo = new WeakMap<object, string>();
  return interval(intervalMs, scheduler).pipe(
    exhaustMap(
      () =>
        new Observable<never>((subscriber) => {
          const controller = new AbortController();
          hashFoldInSlices(view(), controller.signal, memo).then(
            (tasks) => {
              if (controller.signal.aborted) return;
              record(store, scheduler, tasks);
              subscriber.complete();
            },
            (error: unknown) => {
              if (!controller.signal.aborted) subscriber.error(error);
            },
          );
          return () => controller.abort();
        }),
    ),
  );
}
