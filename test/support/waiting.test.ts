import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { firstValue, waitForEvent } from './first-value.ts';
import { waitFor } from './wait-for.ts';

describe('waitFor', () => {
  it('returns the first truthy value of the probe, counting throws as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('connection loss');
        return calls >= 3 ? { calls } : undefined;
      },
      { what: 'the third call', intervalMs: 1 },
    );
    expect(value).toEqual({ calls: 3 });
  });

  it('fails naming what it waited for and the last error', async () => {
    const waiting = waitFor(
      () => {
        throw new Error('still down');
      },
      { what: 'the server to come back', timeoutMs: 50, intervalMs: 5 },
    );
    await expect(waiting).rejects.toThrow(
      /waiting for the server to come back \(last error: Error: still down\)/,
    );
  });

  it('is not held past its bound by a probe that never settles', async () => {
    const waiting = waitFor(() => new Promise<boolean>(() => {}), { what: 'a hung probe', timeoutMs: 50 });
    await expect(waiting).rejects.toThrow(/waiting for a hung probe/);
  });
});

describe('waitForEvent', () => {
  it('resolves with the first matching event and removes its listener', async () => {
    const emitter = new EventEmitter();
    const third = waitForEvent<number>(emitter, 'tick', { what: 'tick 3', match: (n) => n === 3 });
    for (const n of [1, 2, 3, 4]) emitter.emit('tick', n);
    expect(await third).toBe(3);
    expect(emitter.listenerCount('tick')).toBe(0);
  });

  it('fails after its bound naming the event, and removes its listener', async () => {
    const emitter = new EventEmitter();
    await expect(waitForEvent(emitter, 'never', { what: 'nothing', timeoutMs: 20 })).rejects.toThrow(
      /waiting for nothing \('never' event\)/,
    );
    expect(emitter.listenerCount('never')).toBe(0);
  });
});

describe('firstValue', () => {
  it('resolves with the first matching value and unsubscribes', async () => {
    const values = new Subject<string>();
    const connected = firstValue(values, { what: 'connected', match: (v) => v === 'connected' });
    values.next('connecting');
    values.next('connected');
    expect(await connected).toBe('connected');
    expect(values.observed).toBe(false);
  });

  it('fails after its bound naming what it waited for, and unsubscribes', async () => {
    const values = new Subject<string>();
    await expect(firstValue(values, { what: 'a leader', timeoutMs: 20 })).rejects.toThrow(
      /waiting for a leader/,
    );
    expect(values.observed).toBe(false);
  });
});
