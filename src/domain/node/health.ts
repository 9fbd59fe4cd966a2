/**
 * Health of the secondary network, folded per probe with hysteresis: `rise` consecutive successes
 * to become healthy, `fall` consecutive failures to become unhealthy. One flapping check moves
 * nothing, which is what keeps leadership from flapping (seed 001).
 */
import type { Health } from '../members.ts';
import type { HealthChecked } from './events.ts';
import { type HealthState, type NodeState, nextState, type ProbeHealth } from './state.ts';

const UNKNOWN_PROBE: ProbeHealth = { status: 'unknown', okStreak: 0, failStreak: 0, detail: '' };

/** Folds a health check. Streaks saturate at rise/fall, so a steady probe leaves the state as it is. */
export function evolveHealth(state: NodeState, event: HealthChecked): NodeState {
  const { probe, ok, detail } = event.data;
  const rise = Math.max(1, state.config.health.rise);
  const fall = Math.max(1, state.config.health.fall);
  const known = Object.hasOwn(state.health.probes, probe);
  const before = (known ? state.health.probes[probe] : undefined) ?? UNKNOWN_PROBE;
  // Most checks of a journal are of a settled probe: seen to change nothing without making a record.
  if (known && settled(before, ok, rise, fall)) return state;
  const after = ok ? succeeded(before, rise, detail) : failed(before, fall, detail);
  if (known && sameProbe(before, after)) return state;
  const probes = { ...state.health.probes, [probe]: after };
  const status = overall(probes);
  const since = status === state.health.status ? state.health.since : event.meta.at;
  const health: HealthState = { status, probes, since };
  return nextState(state, { health });
}

function succeeded(probe: ProbeHealth, rise: number, detail: string): ProbeHealth {
  const okStreak = Math.min(probe.okStreak + 1, rise);
  const rises = probe.status !== 'healthy' && okStreak >= rise;
  return {
    status: rises ? 'healthy' : probe.status,
    okStreak,
    failStreak: 0,
    detail: rises ? detail : probe.detail,
  };
}

function failed(probe: ProbeHealth, fall: number, detail: string): ProbeHealth {
  const failStreak = Math.min(probe.failStreak + 1, fall);
  const falls = probe.status !== 'unhealthy' && failStreak >= fall;
  return {
    status: falls ? 'unhealthy' : probe.status,
    okStreak: 0,
    failStreak,
    detail: falls ? detail : probe.detail,
  };
}

/** Would this result leave the probe as it is (its streak full, its status already what it says)? */
function settled(probe: ProbeHealth, ok: boolean, rise: number, fall: number): boolean {
  return ok
    ? probe.status === 'healthy' && probe.okStreak === rise && probe.failStreak === 0
    : probe.status === 'unhealthy' && probe.failStreak === fall && probe.okStreak === 0;
}

function sameProbe(a: ProbeHealth, b: ProbeHealth): boolean {
  return (
    a.status === b.status &&
    a.okStreak === b.okStreak &&
    a.failStreak === b.failStreak &&
    a.detail === b.detail
  );
}

/** Unhealthy if any probe is; healthy only when every probe is; unknown otherwise (or with no probe). */
function overall(probes: Readonly<Record<string, ProbeHealth>>): Health {
  const statuses = Object.values(probes).map((probe) => probe.status);
  if (statuses.includes('unhealthy')) return 'unhealthy';
  if (statuses.length > 0 && statuses.every((status) => status === 'healthy')) return 'healthy';
  return 'unknown';
}
