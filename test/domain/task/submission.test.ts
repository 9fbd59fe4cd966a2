import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateWith } from '../../../src/domain/task/field-errors.ts';
import {
  TaskDefaults,
  TaskLimits,
  validateCancelRequest,
  validateSubmission,
} from '../../../src/domain/task/index.ts';
import { SubmitTaskSchema } from '../../../src/domain/task/submission.ts';

/** The fields at fault for a body, or [] when it is valid. */
const faults = (body: unknown): string[] => {
  const result = validateSubmission(body);
  return result.ok ? [] : result.errors.map((error) => error.field);
};

describe('validateSubmission', () => {
  it('accepts a minimal body and fills in the defaults', () => {
    expect(validateSubmission({ type: 'noop' })).toEqual({
      ok: true,
      value: {
        type: 'noop',
        payload: null,
        maxAttempts: TaskDefaults.maxAttempts,
        backoff: TaskDefaults.backoff,
      },
    });
  });

  it('fills in the backoff fields that are left out', () => {
    const result = validateSubmission({ type: 'noop', backoff: { initialMs: 10 } });
    expect(result.ok && result.value.backoff).toEqual({ ...TaskDefaults.backoff, initialMs: 10 });
  });

  it('accepts every option within its bounds', () => {
    const body = {
      type: 'exec',
      payload: { argv: ['true'], env: { A: '1' } },
      idempotencyKey: 'order-42',
      maxAttempts: TaskLimits.maxAttempts,
      backoff: { initialMs: 0, multiplier: 1.5, maxMs: 0 },
      timeoutMs: TaskLimits.timeoutMs,
      retentionMs: 0,
    };
    expect(validateSubmission(body)).toEqual({ ok: true, value: body });
  });

  it.each([
    [{}, ['type']],
    [{ type: '' }, ['type']],
    [{ type: '   ' }, ['type']],
    [{ type: 'x'.repeat(TaskLimits.typeLength + 1) }, ['type']],
    [{ type: 7 }, ['type']],
    [{ type: 'noop', payload: { big: 'x'.repeat(TaskLimits.payloadBytes) } }, ['payload']],
    [{ type: 'noop', maxAttempts: 0 }, ['maxAttempts']],
    [{ type: 'noop', maxAttempts: TaskLimits.maxAttempts + 1 }, ['maxAttempts']],
    [{ type: 'noop', maxAttempts: 1.5 }, ['maxAttempts']],
    [{ type: 'noop', timeoutMs: 0 }, ['timeoutMs']],
    [{ type: 'noop', timeoutMs: TaskLimits.timeoutMs + 1 }, ['timeoutMs']],
    [{ type: 'noop', retentionMs: -1 }, ['retentionMs']],
    [{ type: 'noop', idempotencyKey: '' }, ['idempotencyKey']],
    [{ type: 'noop', idempotencyKey: 'k'.repeat(TaskLimits.idempotencyKeyLength + 1) }, ['idempotencyKey']],
    [{ type: 'noop', backoff: { initialMs: 1_000, maxMs: 10 } }, ['backoff.maxMs']],
    [{ type: 'noop', backoff: { multiplier: 0.5 } }, ['backoff.multiplier']],
    [{ type: 'noop', maxAttempt: 3 }, ['maxAttempt']],
    [{ type: 'noop', backoff: { initial: 1 } }, ['backoff.initial']],
    [{ type: '', maxAttempts: 0 }, ['type', 'maxAttempts']],
  ])('names the field at fault in %j', (body, fields) => {
    expect(faults(body)).toEqual(fields);
  });

  it('names the body itself when it is not an object', () => {
    for (const body of [null, 'noop', [], 3]) expect(faults(body)).toEqual(['']);
  });

  it('says what is wrong in words', () => {
    const result = validateSubmission({ type: 'noop', backoff: { initialMs: 1_000, maxMs: 10 } });
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'backoff.maxMs', message: 'must be at least initialMs' }],
    });
  });
});

describe('validateCancelRequest', () => {
  it('accepts an empty body or a reason', () => {
    expect(validateCancelRequest(undefined)).toEqual({ ok: true, value: {} });
    expect(validateCancelRequest({ reason: 'why' })).toEqual({ ok: true, value: { reason: 'why' } });
  });

  it('names a reason that is too long', () => {
    const result = validateCancelRequest({ reason: 'x'.repeat(TaskLimits.reasonLength + 1) });
    expect(!result.ok && result.errors.map((error) => error.field)).toEqual(['reason']);
  });
});

describe('validating a submission quickly', () => {
  const body = fc.oneof(
    fc.record(
      {
        type: fc.oneof(fc.constantFrom('noop', ' ', '', 'x'.repeat(129)), fc.string(), fc.anything()),
        payload: fc.oneof(fc.jsonValue(), fc.anything(), fc.constant(undefined), fc.constant(null)),
        other: fc.anything(),
      },
      { requiredKeys: [] },
    ),
    fc.anything(),
  );

  it('answers as the schema does for a payload with an own "__proto__" key (as JSON.parse makes it)', () => {
    const b = JSON.parse('{"type":"t","payload":{"a":{"__proto__":null}}}') as unknown;
    expect(validateSubmission(b)).toStrictEqual(validateWith(SubmitTaskSchema, b));
  });

  it('answers exactly as the schema does, whatever the body', () => {
    fc.assert(
      fc.property(body, (b) => {
        expect(validateSubmission(b)).toStrictEqual(validateWith(SubmitTaskSchema, b));
      }),
      { numRuns: 1000 },
    );
  });
});
