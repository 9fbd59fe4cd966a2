import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import { createMemoryEventLog } from '../../../src/infra/log/memory/memory-event-log.ts';
import { readWholeLog } from '../../../src/infra/log/read-whole-log.ts';

const event = (type: string) => ({ type, version: 1, data: {}, meta: { node: 'n1', incarnation: 1, at: 0 } });

describe('readWholeLog', () => {
  it('returns every event in log order and closes the log', async () => {
    const log = createMemoryEventLog();
    await log.append('a', [event('A1')], 'any');
    await log.append('b', [event('B1')], 'any');
    await log.append('a', [event('A2')], 'any');
    expect((await readWholeLog(log)).map((e) => e.type)).toEqual(['A1', 'B1', 'A2']);
    await expect(log.append('a', [event('A3')], 'any')).rejects.toMatchObject({
      code: ErrorCodes.LOG_CLOSED,
    });
  });
});
