import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolve, type NodeState, type ProbeHealth } from '../../../src/domain/node/index.ts';
import { given, givenWith } from './given.ts';
import { checks, e, testConfig } from './journal.ts';

const start = e('ServicesStarted', 0, { incarnation: 1 });

describe('health fold with hysteresis', () => {
  it('starts unknown', () => {
    given(start).thenState({ health: { status: 'unknown', probes: {} } });
  });

  it('becomes healthy only after `rise` consecutive successes', () => {
    given(start, ...checks(1_000, true, 1)).thenState({ health: { status: 'unknown' } });
    given(start, ...checks(1_000, true, 2)).thenState({ health: { status: 'healthy' } });
  });

  it('becomes unhealthy only after `fall` consecutive failures', () => {
    given(start, ...checks(1_000, true, 2), ...checks(3_000, false, 1)).thenState({
      health: { status: 'healthy' },
    });
    given(start, ...checks(1_000, true, 2), ...checks(3_000, false, 2)).thenState({
      health: {
        status: 'unhealthy',
        probes: { 'secondary-network': { status: 'unhealthy', detail: 'all peers unreachable' } },
      },
    });
  });

  it('does not move on alternating results', () => {
    const flapping = [true, false, true, false, true, false].map((ok, i) =>
      e('HealthChecked', 1_000 + i * 1_000, { probe: 'secondary-network', ok, detail: '' }),
    );
    given(start, ...checks(0, true, 2), ...flapping).thenState({ health: { status: 'healthy' } });
  });

  it('uses the rise and fall counts of the config', () => {
    const config = testConfig('n1', { health: { rise: 1, fall: 4 } });
    givenWith(config, start, ...checks(0, true, 1)).thenState({ health: { status: 'healthy' } });
    givenWith(config, start, ...checks(0, true, 1), ...checks(1_000, false, 3)).thenState({
      health: { status: 'healthy' },
    });
    givenWith(config, start, ...checks(0, true, 1), ...checks(1_000, false, 4)).thenState({
      health: { status: 'unhealthy' },
    });
  });

  it('returns the same state for a steady probe', () => {
    given(start, ...checks(0, true, 2))
      .whenEvent(checks(5_000, true, 1)[0]!)
      .thenUnchanged();
    given(start, ...checks(0, false, 2))
      .whenEvent(checks(5_000, false, 1)[0]!)
      .thenUnchanged();
  });

  it('is unhealthy when any probe is, healthy only when every probe is', () => {
    const probeB = (ok: boolean, at: number) =>
      e('HealthChecked', at, { probe: 'check-command', ok, detail: '' });
    given(start, ...checks(0, true, 2), probeB(true, 100)).thenState({ health: { status: 'unknown' } });
    given(start, ...checks(0, true, 2), probeB(true, 100), probeB(true, 200)).thenState({
      health: { status: 'healthy' },
    });
    given(start, ...checks(0, true, 2), probeB(false, 100), probeB(false, 200)).thenState({
      health: { status: 'unhealthy' },
    });
  });

  it('treats probe names like "toString" as plain names', () => {
    const { state } = given(
      start,
      e('HealthChecked', 0, { probe: 'toString', ok: true, detail: '' }),
      e('HealthChecked', 1, { probe: 'toString', ok: true, detail: '' }),
    );
    expect(state.health.status).toBe('healthy');
  });

  it('follows a model of the hysteresis, and returns the same state exactly when nothing changed', () => {
    const check = fc.record({
      probe: fc.constantFrom('a', 'b'),
      ok: fc.boolean(),
      detail: fc.constantFrom('x', 'y'),
    });
    const arb = fc.record({
      rise: fc.integer({ min: 1, max: 3 }),
      fall: fc.integer({ min: 1, max: 3 }),
      results: fc.array(check, { maxLength: 40 }),
    });
    fc.assert(
      fc.property(arb, ({ rise, fall, results }) => {
        let state: NodeState = givenWith(testConfig('n1', { health: { rise, fall } }), start).state;
        const model = new Map<string, ProbeHealth>();
        for (const [i, { probe, ok, detail }] of results.entries()) {
          const before = model.get(probe) ?? { status: 'unknown', okStreak: 0, failStreak: 0, detail: '' };
          const okStreak = ok ? Math.min(before.okStreak + 1, rise) : 0;
          const failStreak = ok ? 0 : Math.min(before.failStreak + 1, fall);
          const turns = ok
            ? before.status !== 'healthy' && okStreak >= rise
            : before.status !== 'unhealthy' && failStreak >= fall;
          const status = turns ? (ok ? 'healthy' : 'unhealthy') : before.status;
          const after = { status, okStreak, failStreak, detail: turns ? detail : before.detail };
          const unchanged = model.has(probe) && JSON.stringify(after) === JSON.stringify(before);
          model.set(probe, after);
          const next = evolve(state, e('HealthChecked', 1_000 + i, { probe, ok, detail }));
          expect(next.health.probes[probe]).toEqual(after);
          expect(next === state).toBe(unchanged);
          state = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('judges a streak by the rise of the config in force, when a new process brought another one', () => {
    const config = testConfig('n1', { health: { rise: 3, fall: 3 } });
    const restarted = [
      e('ProcessStarted', 5_000, {
        pid: 2,
        version: 'v',
        config: testConfig('n1', { health: { rise: 2, fall: 2 } }),
      }),
      e('ServicesStarted', 5_001, { incarnation: 2 }, { incarnation: 2 }),
    ];
    // Two successes of three under the old config are a full streak under the new one.
    const check = e(
      'HealthChecked',
      6_000,
      { probe: 'secondary-network', ok: true, detail: '' },
      { incarnation: 2 },
    );
    givenWith(config, start, ...checks(1_000, true, 2), ...restarted, check).thenState({
      health: { status: 'healthy' },
    });
  });
});
