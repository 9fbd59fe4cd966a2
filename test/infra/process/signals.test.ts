import { EventEmitter } from 'node:events';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { eventLoopStalls$ } from '../../../src/infra/process/eventLoopStalls.ts';
import { signals$ } from '../../../src/infra/process/signals.ts';

describe('signals$', () => {
  it('emits each signal and removes its handlers on unsubscribe', async () => {
    const target = new EventEmitter() as unknown as NodeJS.Process;
    const seen = firstValueFrom(signals$(['SIGTERM', 'SIGINT'], target).pipe(take(2), toArray()));
    expect(target.listenerCount('SIGTERM')).toBe(1);
    target.emit('SIGINT');
    target.emit('SIGTERM');
    expect(await seen).toEqual(['SIGINT', 'SIGTERM']);
    expect(target.listenerCount('SIGTERM')).toBe(0);
    expect(target.listenerCount('SIGINT')).toBe(0);
  });
});

describe('eventLoopStalls$', () => {
  it('reports a blocked event loop with how long it was blocked', async () => {
    const stall = firstValueFrom(eventLoopStalls$({ intervalMs: 10, thresholdMs: 100 }));
    // Block the loop on purpose: this is the behaviour under test, not a wait for something.
    const until = Date.now() + 250;
    while (Date.now() < until) {
      /* busy */
    }
    const { delayMs } = await stall;
    expect(delayMs).toBeGreaterThan(100);
  });
});
