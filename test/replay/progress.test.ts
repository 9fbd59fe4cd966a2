import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/replay/progress.ts';

describe('the progress line', () => {
  it('stays silent when stderr is not a terminal', () => {
    const written: string[] = [];
    const progress = createProgress({ write: (chunk) => written.push(chunk) > 0, isTTY: false }, 1_000);
    for (let i = 0; i < 10_000; i++) progress.tick({ source: 'j', offset: i });
    progress.done();
    expect(written).toEqual([]);
  });

  it('redraws one line on a terminal with events, rate and share of the journals, then clears it', () => {
    const written: string[] = [];
    let now = 0;
    const progress = createProgress(
      { write: (chunk) => written.push(chunk) > 0, isTTY: true },
      8_192,
      () => now,
    );
    for (let i = 1; i <= 4_096; i++) {
      now = i; // 1 ms per event
      progress.tick({ source: 'journal-n1.jsonl', offset: i });
    }
    progress.done();
    expect(written).toEqual([
      '\r\x1b[Kreplay: 2,048 events, 1,000/s (25% of the journals)',
      '\r\x1b[Kreplay: 4,096 events, 1,000/s (50% of the journals)',
      '\r\x1b[K',
    ]);
  });
});
