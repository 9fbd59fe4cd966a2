/**
 * given/when/then for the node domain (emmett's DeciderSpecification, adapted to several decide
 * functions): `given(events).when(decision).then(expected)`, `.thenState(...)`, and for `evolve`
 * itself `given(events).whenEvent(event).thenUnchanged()` / `.thenAnomaly(kind)`.
 */
import { expect } from 'vitest';
import {
  evolve,
  fold,
  initialState,
  type NodeAnomalyKind,
  type NodeConfig,
  type NodeEvent,
  type NodeState,
} from '../../../src/domain/node/index.ts';
import { testConfig } from './journal.ts';

type StateCheck = ((state: NodeState) => void) | Record<string, unknown>;

function check(state: NodeState, expected: StateCheck): void {
  if (typeof expected === 'function') expected(state);
  else expect(state).toMatchObject(expected);
}

function isEventList(value: unknown): value is readonly NodeEvent[] {
  return (
    Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'type' in item)
  );
}

export class Given {
  constructor(readonly state: NodeState) {}

  /** Run a decision (a `decide…`, `nextTeardownStep`, `clusterStatus`…) on the given state. */
  when<R>(decision: (state: NodeState) => R): When<R> {
    return new When(this.state, decision(this.state));
  }

  /** Apply one more event with `evolve`. */
  whenEvent(event: NodeEvent): WhenEvent {
    return new WhenEvent(this.state, evolve(this.state, event));
  }

  /** Check the state the given events folded into. */
  thenState(expected: StateCheck): void {
    check(this.state, expected);
  }
}

export class When<R> {
  constructor(
    private readonly before: NodeState,
    readonly result: R,
  ) {}

  // biome-ignore lint/suspicious/noThenProperty: given/when/then is the specification's vocabulary; a When is never awaited.
  then(expected: R): this {
    expect(this.result).toEqual(expected);
    return this;
  }

  /** Folds the decided events (when the decision returned events) and checks the resulting state. */
  thenState(expected: StateCheck): this {
    const after = isEventList(this.result) ? fold(this.before, this.result) : this.before;
    check(after, expected);
    return this;
  }
}

export class WhenEvent {
  constructor(
    readonly before: NodeState,
    readonly after: NodeState,
  ) {}

  thenState(expected: StateCheck): this {
    check(this.after, expected);
    return this;
  }

  /** `evolve` returned the very same object. */
  thenUnchanged(): this {
    expect(this.after).toBe(this.before);
    return this;
  }

  /**
   * The event was not applied: only an anomaly of `kind` was added (and the highest incarnation
   * the journal named, which counts even a rejected event's).
   */
  thenAnomaly(kind: NodeAnomalyKind): this {
    const { anomalies, anomalyCount, highestIncarnation: _h, ...rest } = this.after;
    const { anomalies: _a, anomalyCount: _c, highestIncarnation: _i, ...restBefore } = this.before;
    expect(rest).toEqual(restBefore);
    expect(anomalyCount).toBe(this.before.anomalyCount + 1);
    expect(anomalies.at(-1)?.kind).toBe(kind);
    return this;
  }
}

/** A node (config `testConfig()` unless `givenWith`) whose journal holds `events`. */
export function given(...events: NodeEvent[]): Given {
  return givenWith(testConfig(), ...events);
}

export function givenWith(config: NodeConfig, ...events: NodeEvent[]): Given {
  return new Given(fold(initialState(config), events));
}

/** Kinds of the anomalies recorded so far. */
export function anomalyKinds(state: NodeState): string[] {
  return state.anomalies.map((anomaly) => anomaly.kind);
}
