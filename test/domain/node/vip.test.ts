import { describe, it } from 'vitest';
import { decideVip } from '../../../src/domain/node/index.ts';
import { given, givenWith } from './given.ts';
import { checks, e, startedAndConnected, testConfig, VIP, winElection } from './journal.ts';

const healthyLeader = [...startedAndConnected(), ...winElection(20, 7), ...checks(100, true, 2)];
const holding = [...healthyLeader, e('VipAcquired', 1_200, { address: VIP })];
const at = (now: number) => (state: Parameters<typeof decideVip>[1]) => decideVip({ now }, state);

describe('VIP transitions', () => {
  it('is unknown at start, held after an acquire, released after a release', () => {
    given(e('ServicesStarted', 0, { incarnation: 1 })).thenState({ vip: { status: 'unknown' } });
    given(...holding).thenState({ vip: { status: 'held', since: 1_200 } });
    given(...holding, e('VipReleased', 1_300, { address: VIP })).thenState({
      vip: { status: 'released', since: 1_300 },
    });
  });

  it('treats a second release as a no-op and a second acquire as an anomaly', () => {
    given(...holding, e('VipReleased', 1_300, { address: VIP }))
      .whenEvent(e('VipReleased', 1_400, { address: VIP }))
      .thenUnchanged();
    given(...holding)
      .whenEvent(e('VipAcquired', 1_300, { address: VIP }))
      .thenAnomaly('vip-acquired-twice');
  });

  it('counts consecutive failures of the same operation', () => {
    const fail = (t: number) =>
      e('VipFailed', t, { operation: 'acquire', cause: 'transient', message: 'ENETUNREACH', output: '' });
    given(...healthyLeader, fail(1_200), fail(2_200)).thenState({
      vip: { status: 'failed', operation: 'acquire', cause: 'transient', failures: 2, at: 2_200 },
    });
  });
});

describe('decideVip', () => {
  it('acquires for a connected, healthy leader', () => {
    given(...healthyLeader)
      .when(at(1_100))
      .then({ action: 'acquire', address: VIP });
  });

  it('keeps a held VIP', () => {
    given(...holding)
      .when(at(1_300))
      .then({ action: 'none' });
  });

  it('releases while the session is suspended', () => {
    given(...holding, e('SessionSuspended', 1_300, { suspicionMs: 3_600, deadline: 4_900 }))
      .when(at(1_400))
      .then({ action: 'release', address: VIP, reason: 'session-not-connected' });
  });

  it('releases when the leader becomes unhealthy, and keeps it released while it leads unhealthy', () => {
    given(...holding, ...checks(2_000, false, 2))
      .when(at(4_000))
      .then({ action: 'release', address: VIP, reason: 'unhealthy' });
    given(...holding, ...checks(2_000, false, 2), e('VipReleased', 4_100, { address: VIP }))
      .when(at(5_000))
      .then({ action: 'none' });
  });

  it('releases when leadership is gone', () => {
    given(...holding, e('LeadershipLost', 1_300, { reason: 'fenced' }))
      .when(at(1_400))
      .then({ action: 'release', address: VIP, reason: 'not-leader' });
  });

  it('cleans a possibly stale VIP at start, then leaves it alone', () => {
    given(...startedAndConnected())
      .when(at(50))
      .then({ action: 'release', address: VIP, reason: 'stale' });
    given(...startedAndConnected(), e('VipReleased', 60, { address: VIP }))
      .when(at(70))
      .then({ action: 'none' });
  });

  it('does not act on a health that has not risen yet', () => {
    given(
      ...startedAndConnected(),
      ...winElection(20, 7),
      ...checks(100, true, 1),
      e('VipReleased', 150, { address: VIP }),
    )
      .when(at(200))
      .then({ action: 'none' });
  });

  it('never acts during a teardown, before start, or without a VIP configured', () => {
    given(...holding, e('ShutdownRequested', 1_300, { trigger: 'SIGTERM' }))
      .when(at(1_400))
      .then({ action: 'none' });
    given().when(at(0)).then({ action: 'none' });
    givenWith(testConfig('n1', { vip: null }), ...healthyLeader)
      .when(at(1_100))
      .then({ action: 'none' });
  });

  it('does not retry an acquire that failed on configuration', () => {
    const configError = e('VipFailed', 1_200, {
      operation: 'acquire',
      cause: 'config',
      message: 'EBadRequest: 10.0.0.300 is not an address',
      output: 'Error: inet prefix is expected',
    });
    given(...healthyLeader, configError)
      .when(at(1_000_000))
      .then({ action: 'none' });
    given(...healthyLeader, configError, e('LeadershipLost', 1_300, { reason: 'fenced' }))
      .when(at(1_400))
      .then({ action: 'none' });
  });

  it('retries a transient failure after a doubling backoff capped by the config', () => {
    const fail = (t: number) =>
      e('VipFailed', t, { operation: 'acquire', cause: 'transient', message: 'arping failed', output: '' });
    given(...healthyLeader, fail(2_000))
      .when(at(2_999))
      .then({ action: 'none' });
    given(...healthyLeader, fail(2_000))
      .when(at(3_000))
      .then({ action: 'acquire', address: VIP });
    given(...healthyLeader, fail(2_000), fail(3_000))
      .when(at(4_999))
      .then({ action: 'none' });
    given(...healthyLeader, fail(2_000), fail(3_000))
      .when(at(5_000))
      .then({ action: 'acquire', address: VIP });
    const many = Array.from({ length: 10 }, (_, i) => fail(2_000 + i));
    given(...healthyLeader, ...many)
      .when(at(2_009 + 8_000))
      .then({ action: 'acquire', address: VIP });
  });

  it('releases at once after a failed acquire when it should no longer hold the VIP', () => {
    const fail = e('VipFailed', 2_000, {
      operation: 'acquire',
      cause: 'transient',
      message: 'arping',
      output: '',
    });
    given(...healthyLeader, fail, e('LeadershipLost', 2_001, { reason: 'fenced' }))
      .when(at(2_002))
      .then({ action: 'release', address: VIP, reason: 'not-leader' });
  });
});
