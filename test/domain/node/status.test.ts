import { describe, expect, it } from 'vitest';
import { clusterStatus, fold, initialState, snapshot } from '../../../src/domain/node/index.ts';
import { given } from './given.ts';
import { checks, e, member, startedAndConnected, testConfig, VIP, winElection } from './journal.ts';

const connected = startedAndConnected();

describe('clusterStatus', () => {
  it('reports this node as leader with its epoch and the VIP it holds', () => {
    given(
      ...connected,
      ...winElection(20, 7),
      ...checks(100, true, 2),
      e('VipAcquired', 1_200, { address: VIP }),
    )
      .when(clusterStatus)
      .then({
        node: 'n1',
        incarnation: 1,
        lifecycle: 'running',
        session: 'connected',
        role: 'leader',
        health: 'healthy',
        leader: 'n1',
        epoch: 7,
        vipHolder: 'n1',
        degraded: [],
      });
  });

  it('reports the observed leader of a follower, and no VIP holder', () => {
    given(...connected, e('LeaderObserved', 30, { leader: 'n2', epoch: 4 }))
      .when(clusterStatus)
      .then(expect.objectContaining({ leader: 'n2', epoch: 4, vipHolder: null, degraded: [] }));
  });

  it('does not report itself leader from the leader znode of its own previous, dead incarnation', () => {
    given(...connected, e('LeaderObserved', 30, { leader: 'n1', epoch: 4 }))
      .when(clusterStatus)
      .then(expect.objectContaining({ leader: null, epoch: 4, degraded: ['stale-leader'] }));
  });

  it('is degraded when no node is healthy', () => {
    const members = [member('n1', 'unhealthy'), member('n2', 'unhealthy'), member('n3', 'healthy', true)];
    given(
      ...connected,
      ...winElection(20, 7),
      ...checks(100, false, 2),
      e('MembersObserved', 2_000, { members }),
    )
      .when((state) => clusterStatus(state).degraded)
      .then(['no-healthy-node']);
  });

  it('is not degraded when this node is healthy even if its published view lags', () => {
    const members = [member('n1', 'unknown'), member('n2', 'unhealthy')];
    given(
      ...connected,
      ...checks(100, true, 2),
      e('MembersObserved', 2_000, { members }),
      e('LeaderObserved', 2_001, { leader: 'n2', epoch: 1 }),
    )
      .when((state) => clusterStatus(state).degraded)
      .then([]);
  });

  it('is degraded by a VIP configuration error, and by a failing VIP', () => {
    const failed = (cause: 'config' | 'transient') =>
      e('VipFailed', 1_200, { operation: 'acquire', cause, message: 'EBadRequest', output: '' });
    const leader = [...connected, ...winElection(20, 7), ...checks(100, true, 2)];
    given(...leader, failed('config'))
      .when((state) => clusterStatus(state).degraded)
      .then(['vip-config-error']);
    given(...leader, failed('transient'))
      .when((state) => clusterStatus(state).degraded)
      .then(['vip-failing']);
  });

  it('is degraded while suspended, and when connected without a known leader', () => {
    given(...connected, e('SessionSuspended', 40, { suspicionMs: 3_600, deadline: 3_640 }))
      .when((state) => clusterStatus(state).degraded)
      .then(['session-suspended']);
    given(...connected)
      .when((state) => clusterStatus(state).degraded)
      .then(['no-leader']);
  });
});

describe('snapshot', () => {
  it('is plain JSON with sorted keys at every level', () => {
    const state = given(
      ...connected,
      ...winElection(20, 7),
      e('MembersObserved', 30, { members: [member('n2', 'healthy')] }),
    ).state;
    const json = JSON.stringify(snapshot(state));
    const sortedEverywhere = (value: unknown): boolean => {
      if (Array.isArray(value)) return value.every(sortedEverywhere);
      if (typeof value !== 'object' || value === null) return true;
      const keys = Object.keys(value);
      return keys.join() === [...keys].sort().join() && Object.values(value).every(sortedEverywhere);
    };
    expect(sortedEverywhere(JSON.parse(json))).toBe(true);
    expect(JSON.parse(json)).toEqual(snapshot(state));
  });

  it('is equal for equal states built in different key orders', () => {
    const a = fold(initialState(testConfig()), connected);
    const b = { ...Object.fromEntries(Object.entries(a).reverse()) } as typeof a;
    expect(JSON.stringify(snapshot(b))).toBe(JSON.stringify(snapshot(a)));
  });
});
