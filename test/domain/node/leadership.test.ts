import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideLeadership, evolve, fold, type NodeState } from '../../../src/domain/node/index.ts';
import { memberArb } from './arbitraries.ts';
import { given, givenWith } from './given.ts';
import { checks, e, member, SELF, startedAndConnected, testConfig, view, winElection } from './journal.ts';

const connected = startedAndConnected();
const healthy = checks(100, true, 2);
const unhealthy = checks(100, false, 2);
const leading = (epoch = 7) => [...connected, ...winElection(20, epoch)];

describe('election and leadership transitions', () => {
  it('goes outside → joining → candidate → leader with the winning epoch', () => {
    given(...connected, e('ElectionJoinRequested', 20, { from: 'outside' })).thenState({
      role: { status: 'joining', since: 20 },
    });
    given(...connected, ...winElection(20, 7).slice(0, 2)).thenState({
      role: { status: 'candidate', sequence: 7, since: 21 },
    });
    given(...leading(7)).thenState({
      role: { status: 'leader', sequence: 7, epoch: 7, since: 23 },
      leader: { node: SELF, epoch: 7 },
      highestEpoch: 7,
      anomalyCount: 0,
    });
  });

  it('records the member view and keeps the state when the same view is seen again', () => {
    const members = [member('n1', 'healthy'), member('n2', 'unknown')];
    given(...connected, e('MembersObserved', 30, { members })).thenState({ members: view(...members) });
    given(...connected, e('MembersObserved', 30, { members }))
      .whenEvent(e('MembersObserved', 40, { members: [...members].reverse() }))
      .thenUnchanged();
  });

  it('keeps the view of the last observation keyed by node, and the same state only when it equals the last', () => {
    // Names drawn from three, lists up to four long: the same name twice happens, as in junk input.
    const list = fc.array(memberArb, { maxLength: 4 });
    fc.assert(
      fc.property(list, list, (first, second) => {
        const before = fold(given(...connected).state, [e('MembersObserved', 30, { members: first })]);
        const after = evolve(before, e('MembersObserved', 40, { members: second }));
        const keyed = Object.fromEntries(second.map((m) => [m.node, m]));
        expect(after.members).toEqual(keyed);
        const sorted = (view: object) =>
          JSON.stringify(Object.entries(view).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        const same = sorted(before.members) === sorted(keyed) && after.fitPeersSince === before.fitPeersSince;
        expect(after === before).toBe(same);
      }),
      { numRuns: 500 },
    );
  });

  it('keys the view as Object.fromEntries does, odd node names and key order included', () => {
    const odd = fc.constantFrom(SELF, 'n2', '__proto__', 'constructor', 'toString', '0', '10', '1');
    const list = fc.array(
      fc.tuple(memberArb, odd).map(([m, node]) => ({ ...m, node })),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(list, (members) => {
        const after = evolve(given(...connected).state, e('MembersObserved', 30, { members }));
        const keyed = Object.fromEntries(members.map((m) => [m.node, m]));
        expect(Object.entries(after.members)).toEqual(Object.entries(keyed));
        expect(Object.getPrototypeOf(after.members)).toBe(Object.prototype);
      }),
      { numRuns: 500 },
    );
  });

  it('records the observed leader and raises the highest epoch', () => {
    given(...connected)
      .whenEvent(e('LeaderObserved', 30, { leader: 'n2', epoch: 4 }))
      .thenState({ leader: { node: 'n2', epoch: 4 }, highestEpoch: 4 });
    given(...connected, e('LeaderObserved', 30, { leader: 'n2', epoch: 4 }))
      .whenEvent(e('LeaderObserved', 31, { leader: 'n2', epoch: 4 }))
      .thenUnchanged();
  });

  it('flags an observed epoch lower than one seen before', () => {
    given(...connected, e('LeaderObserved', 30, { leader: 'n2', epoch: 4 }))
      .whenEvent(e('LeaderObserved', 31, { leader: 'n3', epoch: 3 }))
      .thenAnomaly('epoch-regressed');
  });

  it('flags leadership acquired with an epoch lower than or equal to one seen before', () => {
    const candidateAfterEpoch5 = [
      ...connected,
      e('LeaderObserved', 15, { leader: 'n2', epoch: 5 }),
      e('ElectionJoinRequested', 20, { from: 'outside' }),
      e('ElectionJoined', 21, { sequence: 9 }),
    ];
    given(...candidateAfterEpoch5)
      .whenEvent(e('LeadershipAcquired', 30, { epoch: 5 }))
      .thenAnomaly('epoch-not-increasing');
    given(...candidateAfterEpoch5)
      .whenEvent(e('LeadershipAcquired', 30, { epoch: 4 }))
      .thenAnomaly('epoch-not-increasing');
    given(...candidateAfterEpoch5)
      .whenEvent(e('LeadershipAcquired', 30, { epoch: 9 }))
      .thenState({ role: { status: 'leader', epoch: 9 } });
  });

  it('accepts the epoch its own leader watch showed just before', () => {
    given(...leading(7)).thenState({ role: { status: 'leader', epoch: 7 }, anomalyCount: 0 });
  });

  it('refuses leadership without candidacy', () => {
    given(...connected)
      .whenEvent(e('LeadershipAcquired', 30, { epoch: 3 }))
      .thenAnomaly('not-a-candidate');
    given(...leading(7))
      .whenEvent(e('LeadershipAcquired', 40, { epoch: 8 }))
      .thenAnomaly('not-a-candidate');
  });

  it('goes back outside when leadership is lost, keeping the epoch known', () => {
    given(...leading(7))
      .whenEvent(e('LeadershipLost', 40, { reason: 'fenced' }))
      .thenState({ role: { status: 'outside' }, leader: { node: null, epoch: 7 }, highestEpoch: 7 });
  });

  it('takes a leadership loss after the session loss as already applied', () => {
    given(...leading(7), e('SessionLost', 40, { reason: 'expired' }))
      .whenEvent(e('LeadershipLost', 41, { reason: 'session-lost' }))
      .thenUnchanged();
    given(...connected)
      .whenEvent(e('LeadershipLost', 41, { reason: 'fenced' }))
      .thenAnomaly('not-leader');
  });

  it('resigns into a cooldown', () => {
    given(...leading(7))
      .whenEvent(e('LeadershipResigned', 40, { reason: 'unhealthy', cooldownUntil: 30_040 }))
      .thenState({ role: { status: 'resigned', reason: 'unhealthy', cooldownUntil: 30_040, since: 40 } });
    given(...connected)
      .whenEvent(e('LeadershipResigned', 40, { reason: 'unhealthy', cooldownUntil: 30_040 }))
      .thenAnomaly('not-leader');
  });

  it('refuses joining the election twice', () => {
    given(...leading(7))
      .whenEvent(e('ElectionJoinRequested', 40, { from: 'outside' }))
      .thenAnomaly('election-join-unexpected');
    given(...leading(7))
      .whenEvent(e('ElectionJoined', 40, { sequence: 12 }))
      .thenAnomaly('election-join-unexpected');
  });

  it('flags watch events after the session is gone', () => {
    given(...connected, e('SessionLost', 40, { reason: 'expired' }))
      .whenEvent(e('LeaderObserved', 41, { leader: 'n2', epoch: 8 }))
      .thenAnomaly('session-event-after-loss');
  });
});

describe('decideLeadership', () => {
  const decide = (now: number, members = view(member('n1', 'healthy'), member('n2', 'healthy'))) => {
    return (state: Parameters<typeof decideLeadership>[1]) => decideLeadership({ now, members }, state);
  };

  it('joins the election once the session is connected', () => {
    given(...connected)
      .when(decide(50))
      .then([e('ElectionJoinRequested', 50, { from: 'outside' })]);
  });

  it('decides nothing while suspended, before start or during a teardown', () => {
    given(...connected, e('SessionSuspended', 40, { suspicionMs: 3_600, deadline: 3_640 }))
      .when(decide(50))
      .then([]);
    given(e('SessionConnecting', 1, { connectString: 'zk' }))
      .when(decide(50))
      .then([]);
    given(...connected, e('ShutdownRequested', 40, { trigger: 'SIGTERM' }))
      .when(decide(50))
      .then([]);
  });

  it('keeps a healthy leader', () => {
    given(...leading(), ...healthy)
      .when(decide(5_000))
      .then([]);
  });

  it('resigns an unhealthy leader when a healthy, non-draining member exists', () => {
    given(...leading(), ...unhealthy)
      .when(decide(5_000, view(member('n1', 'unhealthy'), member('n2', 'healthy'))))
      .then([e('LeadershipResigned', 5_000, { reason: 'unhealthy', cooldownUntil: 35_000 }, { epoch: 7 })]);
  });

  it('keeps leading when no other member is healthy and non-draining', () => {
    given(...leading(), ...unhealthy)
      .when(
        decide(
          5_000,
          view(member('n1', 'unhealthy'), member('n2', 'unhealthy'), member('n3', 'healthy', true)),
        ),
      )
      .then([]);
  });

  it('does not resign on a health that has not fallen yet (unknown)', () => {
    given(...leading(), ...checks(100, false, 1))
      .when(decide(5_000, view(member('n2', 'healthy'))))
      .then([]);
  });

  it('hands over to a fit member of strictly higher priority', () => {
    const high = { ...member('n2', 'healthy'), priority: 200 };
    given(...leading(), ...healthy)
      .when(decide(5_000, view({ ...member('n1', 'healthy'), priority: 100 }, high)))
      .then([e('LeadershipResigned', 5_000, { reason: 'priority', cooldownUntil: 35_000 }, { epoch: 7 })]);
  });

  it('keeps leading over members of equal or lower priority, or an unfit higher one', () => {
    const self = { ...member('n1', 'healthy'), priority: 100 };
    given(...leading(), ...healthy)
      .when(
        decide(
          5_000,
          view(
            self,
            { ...member('n2', 'healthy'), priority: 100 },
            { ...member('n3', 'unhealthy'), priority: 500 },
          ),
        ),
      )
      .then([]);
  });

  it('hands over leadership when draining and a fit member exists', () => {
    given(...leading(), ...healthy)
      .when(decide(5_000, view(member('n1', 'healthy', true), member('n2', 'healthy'))))
      .then([e('LeadershipResigned', 5_000, { reason: 'draining', cooldownUntil: 35_000 }, { epoch: 7 })]);
    given(...leading(), ...healthy)
      .when(decide(5_000, view(member('n1', 'healthy', true), member('n2', 'unhealthy'))))
      .then([]);
  });

  describe('after resigning', () => {
    const resigned = [
      ...leading(),
      ...unhealthy,
      e('LeadershipResigned', 5_000, { reason: 'unhealthy', cooldownUntil: 35_000 }, { epoch: 7 }),
    ];
    const others = view(member('n1', 'unhealthy'), member('n2', 'healthy'));

    it('stays out during the cooldown even when healthy again', () => {
      given(...resigned, ...checks(6_000, true, 2))
        .when(decide(34_999, others))
        .then([]);
    });

    it('stays out after the cooldown while unhealthy and someone else is fit', () => {
      given(...resigned)
        .when(decide(40_000, others))
        .then([]);
    });

    it('rejoins after the cooldown once healthy again', () => {
      given(...resigned, ...checks(6_000, true, 2))
        .when(decide(35_000, others))
        .then([e('ElectionJoinRequested', 35_000, { from: 'resigned' })])
        .thenState({ role: { status: 'joining' } });
    });

    it('rejoins after the cooldown when nobody else is fit, so the cluster keeps a leader', () => {
      given(...resigned)
        .when(decide(35_000, view(member('n1', 'unhealthy'), member('n2', 'unhealthy'))))
        .then([e('ElectionJoinRequested', 35_000, { from: 'resigned' })]);
    });
  });

  it('waits while joining or as a candidate', () => {
    given(...connected, e('ElectionJoinRequested', 20, { from: 'outside' }))
      .when(decide(50))
      .then([]);
    given(...connected, ...winElection(20, 7).slice(0, 2))
      .when(decide(50))
      .then([]);
  });

  it('stamps the leader epoch on what a leader decides', () => {
    const [resign] = decideLeadership(
      { now: 5_000, members: view(member('n2', 'healthy')) },
      given(...leading(11), ...unhealthy).state,
    );
    expect(resign?.meta).toEqual({ node: SELF, incarnation: 1, epoch: 11, at: 5_000 });
  });
});

describe('when the leader turns unhealthy, with a resign grace', () => {
  const config = testConfig(SELF, { leadership: { cooldownMs: 30_000, resignGraceMs: 1_000 } });
  // The node falls unhealthy at 1 100 (second failed check); the peer has been fit since 1 150.
  const peerFit = e('MembersObserved', 1_150, {
    members: [member('n1', 'unhealthy'), member('n2', 'healthy')],
  });
  const peerUnfit = e('MembersObserved', 1_400, {
    members: [member('n1', 'unhealthy'), member('n2', 'unhealthy')],
  });
  const at = (now: number) => (state: NodeState) =>
    decideLeadership({ now, members: view(member('n1', 'unhealthy'), member('n2', 'healthy')) }, state);

  it('waits out the grace before handing over (a shared fault reaches the others meanwhile)', () => {
    const state = givenWith(
      config,
      ...startedAndConnected(0),
      ...winElection(20, 7),
      ...unhealthy,
      peerFit,
    ).state;
    expect(at(1_600)(state)).toEqual([]);
    expect(at(2_200)(state).map((x) => x.type)).toEqual(['LeadershipResigned']);
  });

  it('does not hand over when the fault reached the other member within the grace', () => {
    const state = givenWith(
      config,
      ...startedAndConnected(0),
      ...winElection(20, 7),
      ...unhealthy,
      peerFit,
      peerUnfit,
    ).state;
    const members = view(member('n1', 'unhealthy'), member('n2', 'unhealthy'));
    expect(decideLeadership({ now: 5_000, members }, state)).toEqual([]);
  });
});
