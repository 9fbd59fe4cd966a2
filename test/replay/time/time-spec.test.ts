import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/replay/time/durations.ts';
import { parseTimeSpec, resolveTime } from '../../../src/replay/time/time-spec.ts';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

describe('durations', () => {
  it('reads units, combinations and bare milliseconds', () => {
    expect(['250ms', '90s', '1h30m', '1.5s', '2d', '1500', '1m30s250ms'].map(parseDuration)).toEqual([
      250, 90_000, 5_400_000, 1_500, 172_800_000, 1_500, 90_250,
    ]);
  });

  it('refuses what is not a duration', () => {
    expect(['', 'soon', '10 s', '5x', '-3s', 's10'].map(parseDuration)).toEqual(Array(6).fill(undefined));
  });

  it('prints short and precise under a minute', () => {
    expect([38, 1_900, 12_345, 192_000, 7_500_000, 200_000_000, -1_500].map(formatDuration)).toEqual([
      '38 ms',
      '1.9 s',
      '12 s',
      '3m12s',
      '2h05m',
      '2d07h',
      '-1.5 s',
    ]);
  });
});

describe('times on the command line', () => {
  const at = (text: string) => {
    const parsed = parseTimeSpec(text, NOW);
    if (!parsed.ok) throw new Error(parsed.message);
    return resolveTime(parsed.spec, { start: 1_000, end: 9_000 });
  };

  it('reads ISO 8601 and ms since the epoch', () => {
    expect(at('2024-06-01T11:00:00.250Z')).toBe(Date.UTC(2024, 5, 1, 11, 0, 0, 250));
    expect(at('2024-06-01 11:00:00Z')).toBe(Date.UTC(2024, 5, 1, 11, 0, 0));
    expect(at('1717243200000')).toBe(1_717_243_200_000);
  });

  it('reads times relative to now', () => {
    expect(at('-10m')).toBe(NOW - 600_000);
    expect(at('90s ago')).toBe(NOW - 90_000);
  });

  it('reads times relative to the first and last event of the inputs', () => {
    expect([at('start'), at('start+2s'), at('end-500ms'), at('end')]).toEqual([1_000, 3_000, 8_500, 9_000]);
  });

  it('explains what it cannot read', () => {
    expect(parseTimeSpec('tomorrow', NOW)).toEqual({
      ok: false,
      message: expect.stringContaining('cannot read the time "tomorrow": expected an ISO time'),
    });
    expect(parseTimeSpec('end-soon', NOW)).toMatchObject({
      ok: false,
      message: expect.stringContaining('"soon" is not a duration'),
    });
  });
});
