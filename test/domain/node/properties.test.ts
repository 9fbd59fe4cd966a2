import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evolve,
  fold,
  initialState,
  NODE_EVENT_TYPES,
  type NodeEvent,
  type NodeState,
  parseNodeEvent,
  snapshot,
  TEARDOWN_STEPS,
} from '../../../src/domain/node/index.ts';
import { nodeEventArb } from './arbitraries.ts';
import { testConfig } from './journal.ts';
import { decided, isDomainDecision, runScript, scriptArb } from './scripts.ts';

const config = testConfig();
const runs = { numRuns: 300 };

function teardownSteps(state: NodeState): readonly string[] {
  const lifecycle = state.lifecycle;
  return lifecycle.status === 'tearing-down' || lifecycle.status === 'stopped'
    ? lifecycle.steps.map((s) => s.step)
    : [];
}

/** Kinds that `evolve` records while still applying the event. */
const APPLIED_WITH_ANOMALY = new Set(['session-closed-outside-teardown', 'restart-before-backoff']);

describe('node fold properties', () => {
  it('never lets epochs go back', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const { states } = runScript(config, script);
        let lastLeaderEpoch = -1;
        for (const [i, state] of states.entries()) {
          if (i > 0) expect(state.highestEpoch).toBeGreaterThanOrEqual(states[i - 1]!.highestEpoch);
          const previous = states[i - 1]?.role;
          if (state.role.status === 'leader' && previous?.status !== 'leader') {
            expect(state.role.epoch).toBeGreaterThan(lastLeaderEpoch);
            lastLeaderEpoch = state.role.epoch;
          }
        }
      }),
      runs,
    );
  });

  it('runs teardown steps at most once each and in the fixed order', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        for (const state of runScript(config, script).states) {
          const steps = teardownSteps(state);
          expect(steps).toEqual(TEARDOWN_STEPS.slice(0, steps.length));
        }
      }),
      runs,
    );
  });

  it('starts nothing after zk-close', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const { events, states } = runScript(config, script);
        for (const [i, event] of events.entries()) {
          const before = states[i]!;
          const closed =
            teardownSteps(before).includes('zk-close') ||
            ['stopped', 'restart-scheduled', 'exhausted'].includes(before.lifecycle.status);
          if (closed && event.type === 'TeardownStepStarted')
            expect(states[i + 1]!.lifecycle).toBe(before.lifecycle);
        }
      }),
      runs,
    );
  });

  it('folds a prefix then the rest into the same state as the whole', () => {
    fc.assert(
      fc.property(scriptArb, fc.nat(), (script, cut) => {
        const { events } = runScript(config, script);
        const at = events.length === 0 ? 0 : cut % (events.length + 1);
        const whole = fold(initialState(config), events);
        const split = fold(fold(initialState(config), events.slice(0, at)), events.slice(at));
        expect(snapshot(split)).toEqual(snapshot(whole));
      }),
      runs,
    );
  });

  it('changes nothing but the anomaly list (and the highest incarnation named) when it rejects an event', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const { events, states } = runScript(config, script);
        for (const [i] of events.entries()) {
          const [before, after] = [states[i]!, states[i + 1]!];
          if (after.anomalyCount === before.anomalyCount) continue;
          if (APPLIED_WITH_ANOMALY.has(after.anomalies.at(-1)?.kind ?? '')) continue;
          const { anomalies: _a, anomalyCount: _b, highestIncarnation: hAfter, ...restAfter } = after;
          const { anomalies: _c, anomalyCount: _d, highestIncarnation: hBefore, ...restBefore } = before;
          expect(restAfter).toEqual(restBefore);
          expect(hAfter).toBeGreaterThanOrEqual(hBefore);
        }
      }),
      runs,
    );
  });

  it('accepts everything the decide functions decide, in any reachable state', () => {
    fc.assert(
      fc.property(scriptArb, scriptArb, (setup, probes) => {
        const { states } = runScript(config, setup);
        const state = states.at(-1)!;
        for (const probe of probes.filter(isDomainDecision)) {
          const after = fold(state, decided(probe, state));
          expect(after.anomalies.slice(state.anomalies.length)).toEqual([]);
          expect(after.anomalyCount).toBe(state.anomalyCount);
        }
      }),
      runs,
    );
  });

  it('returns the same state when an event is applied twice and the second changes nothing', () => {
    fc.assert(
      fc.property(scriptArb, nodeEventArb, (script, event) => {
        const state = runScript(config, script).states.at(-1)!;
        const once = evolve(state, event);
        const twice = evolve(once, event);
        // Either idempotent (same object) or a recorded anomaly or a real change: never a silent copy.
        if (twice !== once) {
          const changed = JSON.stringify(snapshot(twice)) !== JSON.stringify(snapshot(once));
          expect(changed).toBe(true);
        }
      }),
      runs,
    );
  });
});

describe('robustness', () => {
  it('evolve never throws on garbage, and the state stays serialisable', () => {
    const garbage = fc.oneof(
      fc.anything(),
      fc.record({
        type: fc.constantFrom(...NODE_EVENT_TYPES, 'Nope', '__proto__'),
        version: fc.oneof(fc.constant(1), fc.anything()),
        data: fc.anything(),
        meta: fc.oneof(
          fc.anything(),
          fc.record({ node: fc.string(), incarnation: fc.anything(), at: fc.anything() }),
        ),
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(garbage, nodeEventArb), { maxLength: 40 }), (values) => {
        let state = initialState(config);
        for (const value of values) state = evolve(state, value as NodeEvent);
        expect(() => JSON.stringify(snapshot(state))).not.toThrow();
      }),
      runs,
    );
  });

  it('parseNodeEvent never throws on arbitrary JSON, and accepts only what evolve accepts as well-formed', () => {
    const json = fc.oneof(
      fc.jsonValue(),
      fc.record({
        type: fc.constantFrom(...NODE_EVENT_TYPES),
        version: fc.oneof(fc.constant(1), fc.jsonValue()),
        data: fc.jsonValue(),
        meta: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(json, (raw) => {
        const parsed = parseNodeEvent(raw, { line: 1 });
        if (parsed.ok) expect(NODE_EVENT_TYPES).toContain(parsed.event.type);
        else expect(parsed.anomaly.location).toEqual({ line: 1 });
      }),
      { numRuns: 1_000 },
    );
  });

  it('parses back every generated event after a JSON round trip', () => {
    fc.assert(
      fc.property(nodeEventArb, (event: NodeEvent) => {
        expect(parseNodeEvent(JSON.parse(JSON.stringify(event)), {})).toEqual({ ok: true, event });
      }),
      runs,
    );
  });
});
