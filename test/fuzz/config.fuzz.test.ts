/**
 * Fuzzing the configuration loader: whatever a file, the environment and the flags hold, loadConfig
 * returns a Config or throws CONFIG_INVALID that names where the fault is (each problem's key, the
 * setting a raw value was meant for, or the file and line); never any other error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { hasCode } from '../../src/errors.ts';
import { loadConfig } from '../../src/infra/config/load.ts';
import { settings } from '../../src/infra/config/settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'taskd-fuzz-config-'));
let files = 0;
const writeFile = (content: string | Uint8Array): string => {
  const path = join(dir, `config-${files++}.yaml`);
  writeFileSync(path, content);
  return path;
};

/**
 * A problem line of a validation error: a dotted key of the schema (or the top level), the unknown
 * keys found there in parentheses (any text: they are the user's), then why, then where from.
 */
const PROBLEM = /^(\(top level\)|[A-Za-z0-9]+(\.[A-Za-z0-9]+)*)( \(.*\))?: .+ \[from .+\]$/s;
const SETTING_PATHS = new Set(settings.map((s) => s.path));

/** Loads and classifies: 'ok', or the error when it is a well-formed CONFIG_INVALID; throws otherwise. */
function load(sources: Parameters<typeof loadConfig>[0]): 'ok' | 'invalid' {
  try {
    const config = loadConfig(sources);
    expect(typeof config.nodeId).toBe('string');
    expect(config.zookeeper.hosts.length).toBeGreaterThan(0);
    return 'ok';
  } catch (error) {
    if (!hasCode(error, 'CONFIG_INVALID')) throw error;
    const { problems, key, path } = error.details as { problems?: unknown; key?: unknown; path?: unknown };
    if (Array.isArray(problems)) {
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) expect(String(problem)).toMatch(PROBLEM);
    } else if (key !== undefined) {
      expect(SETTING_PATHS.has(String(key))).toBe(true);
      expect(error.message).toContain(String(key));
    } else {
      expect(path).toBe(sources.file);
      expect(error.message).toContain(String(path));
    }
    return 'invalid';
  }
}

// Keys a config may hold, plus keys that have broken object merges elsewhere.
const KEYS = [
  'nodeId',
  'cluster',
  'priority',
  'dataDir',
  'logLevel',
  'zookeeper',
  'hosts',
  'auth',
  'user',
  'password',
  'sessionTimeoutMs',
  'suspicionFraction',
  'requestTimeoutMs',
  'taskLog',
  'backend',
  'esdbUrl',
  'fsync',
  'runner',
  'capacity',
  'execAllow',
  'vip',
  'address',
  'prefix',
  'iface',
  'health',
  'peers',
  'restart',
  'budget',
  'windowMs',
  'multiplier',
  'api',
  'listen',
  'token',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
];
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(
  fc.constantFrom('127.0.0.1:2181', 'n1', 'zookeeper', 'file', 'always', 'info', '0.6', '-1', 'NaN', 'yes'),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { maxLength: 3 }), tie('tree')),
}));
/** Mostly `valid`, now and then any scalar. */
const usually = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: scalar, weight: 1 });
/** Trees close to a valid configuration, so that validation is reached and often passes. */
const nearlyValid = fc
  .record(
    {
      nodeId: usually(fc.constantFrom('n1', 'node-2', 'a.b_c')),
      zookeeper: fc.record(
        {
          hosts: usually(fc.constantFrom(['127.0.0.1:2181'], ['a:1', 'b:65535'])),
          sessionTimeoutMs: usually(fc.integer({ min: 400, max: 120_000 })),
          suspicionFraction: usually(fc.double({ min: 0.01, max: 0.99, noNaN: true })),
        },
        { requiredKeys: ['hosts'] },
      ),
      runner: fc.record({ capacity: usually(fc.integer({ min: 1, max: 10_000 })) }, { requiredKeys: [] }),
      restart: fc.record(
        {
          budget: usually(fc.integer({ min: 1, max: 1_000 })),
          multiplier: usually(fc.double({ min: 1, max: 10, noNaN: true })),
        },
        { requiredKeys: [] },
      ),
      extra: fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: tree, weight: 1 }),
    },
    { requiredKeys: ['nodeId', 'zookeeper', 'extra'] },
  )
  .map(({ extra, ...rest }) => ({ ...extra, ...rest }));

const envArb = fc.dictionary(
  fc.oneof(fc.constantFrom(...settings.map((s) => s.env)), fc.constant('TASKD_UNKNOWN')),
  fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('8', '0.5', 'true', 'off', '127.0.0.1:2181', 'n1')),
  { maxKeys: 4 },
);
const flagsArb = fc.dictionary(
  fc.constantFrom(...settings.map((s) => s.flag)),
  fc.oneof(fc.string({ maxLength: 16 }), fc.boolean(), fc.constantFrom('8', '1e3', ' 4 ', 'n1', 'a:1,b:2')),
  { maxKeys: 4 },
);

describe('loadConfig on arbitrary input', () => {
  it('returns a Config or a CONFIG_INVALID naming keys, for YAML and JSON documents of any shape', () => {
    const seen = { ok: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.oneof(tree, nearlyValid), fc.boolean(), envArb, flagsArb, (doc, asJson, env, flags) => {
        const text = asJson ? JSON.stringify(doc) : stringify(doc);
        seen[load({ file: writeFile(text), env, flags })] += 1;
      }),
      // One plainly valid and one plainly invalid document always run, beside the random ones: a
      // run whose random flags or environment happened to spoil every valid tree must not fail.
      {
        numRuns: 300,
        examples: [
          [{ nodeId: 'n1', zookeeper: { hosts: ['127.0.0.1:2181'] } }, false, {}, {}],
          [{ nodeId: 7, zookeeper: {} }, true, {}, {}],
        ],
      },
    );
    // Both outcomes were reached: the property is not vacuous.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.invalid).toBeGreaterThan(0);
  });

  it('names the file (and line) for bytes that are no YAML mapping', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.string({ maxLength: 200 }),
          fc.constantFrom(
            '- a\n- b\n',
            '"just a string"',
            'a: [1, 2\n',
            'a: 1\na: 2\n',
            '\ufeffnodeId: n1',
            '%YAML 9.9\n---\n',
          ),
        ),
        (content) => {
          load({ file: writeFile(content) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the setting for any environment variable or flag value', () => {
    fc.assert(
      fc.property(envArb, flagsArb, (env, flags) => {
        load({ env: { TASKD_NODE_ID: 'n1', TASKD_ZK: 'h:1', ...env }, flags });
      }),
      { numRuns: 300 },
    );
  });

  it('reports a file that cannot be read by its path', () => {
    expect(load({ file: join(dir, 'missing', 'taskd.yaml') })).toBe('invalid');
    expect(load({ file: dir })).toBe('invalid');
  });
});
