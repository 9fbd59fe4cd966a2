/**
 * Periodic checkpoints hash the task fold a slice at a time, yet journal the hash the fold had at
 * the position they name, and the node state's hash at the moment they are journaled: what replay
 * and the determinism test check. The journal is an in-memory fake behind the EventSink port; the
 * task view is a fake that only holds a fold.
 */
import { asyncScheduler, firstValueFrom, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defaultNodeConfig, initialState, type NodeEvent } from '../../src/domain/node/index.ts';
import { evolve, initialState as initialTasks, type TasksState } from '../../src/domain/task/index.ts';
import { stateHash } from '../../src/infra/state-hash.ts';
import { checkpoints$, recordCheckpoint } from '../../src/streams/checkpoint.ts';
import { createNodeStore } from '../../src/streams/node-store.ts';
import type { TaskView } from '../../src/streams/task-view.ts';
import { assigned, epochStarted, submitted } from '../domain/task/fixtures.ts';

type Checkpoint = Extract<NodeEvent, { type: 'StateCheckpoint' }>;

function journaledStore() {
  const checkpoints = new Subject<Checkpoint>();
  const store = createNodeStore(
    {
      appendSync: (event: NodeEvent) => {
        if (event.type === 'StateCheckpoint') checkpoints.next(event);
      },
    },
    initialState(defaultNodeConfig('n1')),
  );
  return { store, checkpoints };
}

/** A caught-up view holding `state` at `position`. */
function viewOf(state: TasksState, position: number, caughtUp = true): TaskView {
  return { caughtUp: () => caughtUp, current: () => state, position: () => position } as TaskView;
}

function fold(count: number): TasksState {
  let state = evolve(initialTasks(), epochStarted(1));
  for (let i = 0; i < count; i++) state = evolve(evolve(state, submitted(`t-${i}`)), assigned(`t-${i}`));
  return state;
}

describe('a periodic checkpoint', () => {
  it('journals the hash of the fold at the position it names, and of the node state', async () => {
    const { store, checkpoints } = journaledStore();
    const state = fold(2_000);
    const next = firstValueFrom(checkpoints);
    const running = checkpoints$(store, () => viewOf(state, 42), asyncScheduler, 1).subscribe();
    const checkpoint = await next;
    running.unsubscribe();
    expect(checkpoint.data.tasks).toEqual({ position: 42, hash: stateHash(state) });
    // The node hash is of the state before the checkpoint entry, as replay re-folds it.
    expect(checkpoint.data.node).not.toBeUndefined();
  });

  it('journals the node state only while the fold is not caught up', async () => {
    const { store, checkpoints } = journaledStore();
    const next = firstValueFrom(checkpoints);
    const running = checkpoints$(store, () => viewOf(fold(3), 7, false), asyncScheduler, 1).subscribe();
    const checkpoint = await next;
    running.unsubscribe();
    expect(checkpoint.data.tasks).toBeUndefined();
    expect(checkpoint.data.node).toBe(stateHash(initialState(defaultNodeConfig('n1'))));
  });

  it('journals the same hashes as a checkpoint taken at once', async () => {
    const { store, checkpoints } = journaledStore();
    const state = fold(500);
    const sliced = firstValueFrom(checkpoints);
    const running = checkpoints$(store, () => viewOf(state, 9), asyncScheduler, 1).subscribe();
    const first = await sliced;
    running.unsubscribe();
    const atOnce = firstValueFrom(checkpoints);
    recordCheckpoint(store, viewOf(state, 9), asyncScheduler);
    expect((await atOnce).data).toEqual(first.data);
  });
});
