import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../src/errors.ts';
import {
  type HostPort,
  type PeerReach,
  peerProbe$,
  type TcpConnect,
} from '../../../src/infra/health/index.ts';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/**
 * A connect that answers after `delay` virtual ms per peer (absent: never answers, so only the probe's
 * timeout ends it); records each teardown, which proves the probe let go of the socket.
 */
function scriptedConnect(answers: Record<string, { delay: number; reach: 'ok' | string }>) {
  const torn: string[] = [];
  const connect =
    (scheduler: SchedulerLike): TcpConnect =>
    (peer: HostPort) =>
      new Observable<PeerReach>((subscriber) => {
        const answer = answers[peer.label];
        const task =
          answer === undefined
            ? undefined
            : scheduler.schedule(() => {
                subscriber.next(
                  answer.reach === 'ok'
                    ? { peer: peer.label, ok: true }
                    : { peer: peer.label, ok: false, reason: answer.reach },
                );
                subscriber.complete();
              }, answer.delay);
        return () => {
          torn.push(peer.label);
          task?.unsubscribe();
        };
      });
  return { connect, torn };
}

describe('the peer probe', () => {
  it('is valid with no peers: a single node has nobody to lose', () => {
    testScheduler().run(({ expectObservable }) => {
      const probe$ = peerProbe$({ peers: [], timeoutMs: 50, intervalMs: 100 });
      const single = { probe: 'peers', ok: true, detail: 'no peers configured (single node): valid' };
      expectObservable(probe$, '^ 250ms !').toBe('a 99ms a 99ms a', { a: single });
    });
  });

  it('stays valid while one peer answers, naming the ones that do not', () => {
    testScheduler().run(({ expectObservable }) => {
      const { connect } = scriptedConnect({
        'n2:7000': { delay: 5, reach: 'ok' },
        'n3:7000': { delay: 2, reach: 'ECONNREFUSED' },
      });
      const probe$ = peerProbe$(
        { peers: ['n2:7000', 'n3:7000'], timeoutMs: 50, intervalMs: 100 },
        { connect: connect(asyncScheduler) },
      );
      expectObservable(probe$, '^ 150ms !').toBe('5ms a 99ms a', {
        a: { probe: 'peers', ok: true, detail: '1/2 peers reachable; unreachable: n3:7000 (ECONNREFUSED)' },
      });
    });
  });

  it('is invalid only when every peer is unreachable, a silent one after the timeout', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { connect, torn } = scriptedConnect({ 'n2:7000': { delay: 1, reach: 'ENETUNREACH' } });
      const probe$ = peerProbe$(
        { peers: ['n2:7000', '[fd00::3]:7000'], timeoutMs: 50, intervalMs: 100 },
        { connect: connect(asyncScheduler) },
      );
      expectObservable(probe$, '^ 60ms !').toBe('50ms a', {
        a: {
          probe: 'peers',
          ok: false,
          detail:
            '0/2 peers reachable: every peer is unreachable: n2:7000 (ENETUNREACH), [fd00::3]:7000 (no answer within 50 ms)',
        },
      });
      flush();
      expect(torn).toEqual(['n2:7000', '[fd00::3]:7000']);
    });
  });

  it('never overlaps rounds: a round slower than the interval skips the ticks it covers', () => {
    testScheduler().run(({ expectObservable }) => {
      const { connect } = scriptedConnect({ 'n2:7000': { delay: 150, reach: 'ok' } });
      const probe$ = peerProbe$(
        { peers: ['n2:7000'], timeoutMs: 1_000, intervalMs: 100 },
        { connect: connect(asyncScheduler) },
      );
      const ok = { probe: 'peers', ok: true, detail: '1/1 peers reachable' };
      // Round at 0 answers at 150; the tick at 100 is skipped; round at 200 answers at 350.
      expectObservable(probe$, '^ 360ms !').toBe('150ms a 199ms a', { a: ok });
    });
  });

  it('tears down the connects of a round in flight when unsubscribed', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { connect, torn } = scriptedConnect({});
      const probe$ = peerProbe$(
        { peers: ['n2:7000', 'n3:7000'], timeoutMs: 1_000, intervalMs: 100 },
        { connect: connect(asyncScheduler) },
      );
      expectObservable(probe$, '^ 20ms !').toBe('');
      flush();
      expect(torn.sort()).toEqual(['n2:7000', 'n3:7000']);
    });
  });

  it('names the probe as asked', () => {
    testScheduler().run(({ expectObservable }) => {
      const probe$ = peerProbe$({ peers: [], timeoutMs: 50, intervalMs: 100, probe: 'secondary-net' });
      expectObservable(probe$, '^ 10ms !').toBe('a', {
        a: { probe: 'secondary-net', ok: true, detail: 'no peers configured (single node): valid' },
      });
    });
  });

  it.each(['n2', 'n2:', 'n2:0', 'n2:70000', 'fd00::3:7000', '[fd00::3]', ':7000'])(
    'refuses the peer "%s" when built: a config error',
    (peer) => {
      let thrown: unknown;
      try {
        peerProbe$({ peers: [peer], timeoutMs: 50, intervalMs: 100 });
      } catch (error) {
        thrown = error;
      }
      expect(hasCode(thrown, 'CONFIG_INVALID')).toBe(true);
    },
  );
});
