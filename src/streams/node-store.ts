/**
 * The one place a node's inputs become state: every event is written to the journal first and only
 * then folded with the domain's `evolve`, so the journal replays to exactly the states the node had.
 *
 * When the journal cannot take an event (disk full, I/O error), the event is dropped, never folded:
 * the node must not act on what it could not journal. While services run (or wait to restart) the
 * store then stops the node itself with a `fatal` shutdown naming the journal and the OS error, and
 * from then on folds only the shutdown and teardown-step events (unjournaled: the journal is gone)
 * so that the teardown can still release what the node holds. Everything else is dropped, the
 * teardown's finish included: the incarnation then ends as `fatal` whatever started its teardown, so
 * the process exits instead of restarting on a journal it cannot write. Nothing is thrown to the
 * streams that record (an exception there escapes as an uncaught error); with nothing running to
 * tear down (process start and end) the error is thrown to the caller, which reports it.
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

/** What still changes state once the journal failed: the way down, short of its finish. */
const FOLDED_AFTER_JOURNAL_FAILURE: ReadonlySet<NodeEvent['type']> = new Set([
  'ShutdownRequested',
  'ShutdownIgnored',
  'TeardownStepStarted',
  'TeardownStepCompleted',
  'TeardownStepFailed',
] satisfies NodeEvent['type'][]);

/** Lifecycles with services to tear down (or a restart to cancel) when the journal fails. */
const STOPPABLE: ReadonlySet<NodeState['lifecycle']['status']> = new Set([
  'running',
  'tearing-down',
  'restart-scheduled',
]);

/** A store over `journal`, starting from `initial` (a fresh state, or the fold of an earlier journal). */
export function createNodeStore(journal: EventSink, initial: NodeState): NodeStore {
  const subject = new BehaviorSubject(initial);
  let state = initial;
  const queue: Work[] = [];
  let draining = false;
  let journalFailed = false;

  const fold = (event: NodeEvent): void => {
    const next = evolve(state, event);
    if (next === state) return;
    state = next;
    if (!subject.closed) subject.next(state);
  };

  /** The journal refused `event`: drop it and stop the node (see the file's comment). */
  const failJournal = (event: NodeEvent, error: unknown): void => {
    if (!STOPPABLE.has(state.lifecycle.status)) throw error;
    journalFailed = true;
    const detail = error instanceof Error ? error.message : String(error);
    const stop = decide({ type: 'RequestShutdown', now: event.meta.at, trigger: 'fatal', detail }, state);
    for (const shutdown of stop) fold(shutdown);
  };

  /** Journals then folds `event`; false when it was dropped. */
  const apply = (event: NodeEvent): boolean => {
    if (journalFailed) {
      if (!FOLDED_AFTER_JOURNAL_FAILURE.has(event.type)) return false;
      fold(event);
      return true;
    }
    try {
      journal.appendSync(event);
    } catch (error) {
      failJournal(event, error);
      return false;
    }
    fold(event);
    return true;
  };

  /** Runs queued work in order; returns the events of the first item (the caller's own) that were applied. */
  const drain = (): readonly NodeEvent[] => {
    draining = true;
    let first: readonly NodeEvent[] | undefined;
    try {
      for (let work = queue.shift(); work !== undefined; work = queue.shift()) {
        const events = 'events' in work ? work.events : decide(work.command, state);
        const applied: NodeEvent[] = [];
        for (const event of events) if (apply(event)) applied.push(event);
        first ??= applied;
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
