import { describe, expect, it } from 'vitest';
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
});
