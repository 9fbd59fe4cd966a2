/**
 * The one place a node's inputs become state: every event is written to the journal first and only
 * then folded with the domain's `evolve`, so the journal replays to exactly the states the node had.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import { decide, evolve, type NodeCommand, type NodeEvent, type NodeState } from '../domain/node/index.ts';

/** Where events go before they change state; the node journal fits. */
export interface EventSink {
  appendSync(event: NodeEvent): unknown;
}

export interface NodeStore {
  /** The current state first, then each new one. */
  readonly state$: Observable<NodeState>;
  current(): NodeState;
  /** Journals then folds each event, in order. */
  record(events: readonly NodeEvent[]): void;
  /**
   * Decides `command` on the state as it is when its turn comes, and records what it returns.
   * Called from inside a state$ notification it is queued behind the events being published, so a
   * decision never sees a state that is about to change; it then returns [] (read state$ instead).
   */
  dispatch(command: NodeCommand): readonly NodeEvent[];
  /** Completes state$; later records still journal and fold (teardown's last steps), but nobody is told. */
  complete(): void;
}

type Work = { readonly events: readonly NodeEvent[] } | { readonly command: NodeCommand };

/** A store over `journal`, starting from `initial` (a fresh state, or the fold of an earlier journal). */
export function createNodeStore(journal: EventSink, initial: NodeState): NodeStore {
  const subject = new BehaviorSubject(initial);
  let state = initial;
  const queue: Work[] = [];
  let draining = false;

  const apply = (event: NodeEvent): void => {
    journal.appendSync(event);
    const next = evolve(state, event);
    if (next === state) return;
    state = next;
    if (!subject.closed) subject.next(state);
  };

  /** Runs queued work in order; returns the events of the first item (the caller's own). */
  const drain = (): readonly NodeEvent[] => {
    draining = true;
    let first: readonly NodeEvent[] | undefined;
    try {
      for (let work = queue.shift(); work !== undefined; work = queue.shift()) {
        const events = 'events' in work ? work.events : decide(work.command, state);
        first ??= events;
        for (const event of events) apply(event);
      }
    } finally {
      draining = false;
      queue.length = 0;
    }
    return first ?? [];
  };

  const submit = (work: Work): readonly NodeEvent[] => {
    queue.push(work);
    return draining ? [] : drain();
  };

  return {
    state$: subject.asObservable(),
    current: () => state,
    record: (events) => {
      submit({ events });
    },
    dispatch: (command) => submit({ command }),
    complete: () => subject.complete(),
  };
}
