/**
 * State checkpoints: now and then, the hash of this node's state and of its fold of the task log is
 * journaled, so that `taskd replay` (and the determinism test) can prove that the journal and the log
 * rebuild exactly the states the node had live (DESIGN §2: "replaying it rebuilds the node's state
 * sequence exactly").
 */
import { interval, type Observable, type SchedulerLike } from 'rxjs';
import { ignoreElements, tap } from 'rxjs/operators';
import { recordEvent } from '../domain/node/index.ts';
import { stateHash } from '../infra/state-hash.ts';
import type { NodeStore } from './node-store.ts';
import type { TaskView } from './task-view.ts';

export const MAX_HASHED_TASKS = 20_000;

/** Journals one StateCheckpoint for the current states. */
export function recordCheckpoint(
  store: NodeStore,
  view: TaskView | undefined,
  scheduler: SchedulerLike,
): void {
  // Hashing a large fold takes a while: past MAX_HASHED_TASKS only the node state is checkpointed.
  const fold = view?.caughtUp() && view.current().tasks.size <= MAX_HASHED_TASKS ? view : undefined;
  const tasks =
    fold === undefined ? undefined : { position: fold.position(), hash: stateHash(fold.current()) };
  const data = { node: stateHash(store.current()), ...(tasks === undefined ? {} : { tasks }) };
  store.record([recordEvent(store.current(), scheduler.now(), 'StateCheckpoint', data)]);
}

/** A checkpoint every `intervalMs`; emits nothing. */
export function checkpoints$(
  store: NodeStore,
  view: () => TaskView | undefined,
  scheduler: SchedulerLike,
  intervalMs: number,
): Observable<never> {
  return interval(intervalMs, scheduler).pipe(
    tap(() => recordCheckpoint(store, view(), scheduler)),
    ignoreElements(),
  );
}
