/**
 * Fuzzing both command lines with random arguments: `taskd` on paths that start nothing (config
 * check, help, version, replay of paths that do not exist) and `taskctl` against an endpoint where
 * nothing listens. Each ends with an exit code of its documented set, never with a throw.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runTaskctl } from '../../src/cli/taskctl/program.ts';
import { runTaskd } from '../../src/cli/taskd.ts';
import { settings } from '../../src/infra/config/settings.ts';

/** A stream that keeps what is written to it. */
function sink(): Writable & { text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

/** A loopback port where nothing listens (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// Configuration files `config check` and `--config` may be pointed at.
const dir = mkdtempSync(join(tmpdir(), 'taskd-fuzz-cli-'));
const configFiles = Object.entries({
  'valid.yaml': 'nodeId: n1\nzookeeper:\n  hosts: [127.0.0.1:2181]\n',
  'wrong.yaml': 'nodeId: 7\nrunner: { capacity: -1 }\n',
  'alias.yaml': 'nodeId: *missing\n',
  'binary.yaml': '\u0000\u00ff\u0001',
}).map(([name, text]) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
});

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '-',
    '--',
    '-1',
    '0',
    '1e9',
    'NaN',
    '{',
    '{"ms": 5}',
    'true',
    'x:y',
    '/nonexistent/dir',
    '%s',
  ),
);

// `--zk` is left out on purpose: without ZooKeeper hosts no configuration is valid, so `start`
// can never get past validation and start a node, whatever else the arguments say.
const taskdFlags = [
  ...settings.filter((s) => s.flag !== 'zk').map((s) => `--${s.flag}`),
  '--config',
  '-c',
  '--help',
  '-h',
  '--version',
  '-V',
  '--format',
  '--at',
  '--since',
  '--until',
  '--limit',
  '--storm',
  '--overlap-tolerance',
  '--lost-grace',
  '--kind',
  '--node',
  '--no-timeline',
  '--fail-on-anomaly',
  '--bogus',
];
const taskdArgv = fc
  .tuple(
    fc.constantFrom<string[]>(
      ['config', 'check'],
      ['config'],
      ['config', 'nope'],
      ['start', '--help'],
      ['--version'],
      ['--help'],
      ['replay'],
      ['replay', '/nonexistent/journals'],
      ['bundle', '--help'],
      ['help'],
      ['no-such-command'],
      [],
      ...configFiles.map((file) => ['config', 'check', file]),
    ),
    fc.array(fc.oneof(fc.constantFrom(...taskdFlags), fc.constantFrom(...configFiles), junk), {
      maxLength: 8,
    }),
  )
  .map(([head, tail]) => [...head, ...tail.filter((token) => token !== '--zk')]);

const taskctlArgv = (endpoint: string) =>
  fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.constant(['--json']),
          fc.tuple(
            fc.constant('--endpoint'),
            fc.oneof(
              fc.constant(endpoint),
              junk,
              fc.constantFrom('http://[::1', 'ftp://x', 'http://no-such-host.invalid'),
            ),
          ),
          fc.tuple(fc.constant('--token'), junk),
        ),
        { maxLength: 2 },
      ),
      fc.constantFrom(
        'submit',
        'get',
        'list',
        'cancel',
        'nodes',
        'drain',
        'undrain',
        'watch',
        'help',
        'nope',
        '--help',
        '--version',
      ),
      fc.array(
        fc.oneof(
          fc.constantFrom(
            '--payload',
            '--idempotency-key',
            '--max-attempts',
            '--timeout-ms',
            '--state',
            '--node',
            '--limit',
            '--reason',
            '--interval-ms',
            '--help',
            '-h',
            '--json',
          ),
          junk,
        ),
        { maxLength: 6 },
      ),
    )
    .map(([globals, command, rest]) => [...globals.flat(), command, ...rest]);

describe('the command lines on random arguments', () => {
  it('taskd ends with 0, 1, 2 or 64 and never throws', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(taskdArgv, async (argv) => {
        const stderr = sink();
        const code = await runTaskd({ argv, env: {}, stdout: sink(), stderr }).catch((error: unknown) => {
          throw new Error(`${JSON.stringify(argv)} threw: ${String(error)}`);
        });
        expect([0, 1, 2, 64], `${JSON.stringify(argv)} → ${code}: ${stderr.text()}`).toContain(code);
        seen.add(code);
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining([0, 2, 64]));
  });

  it('taskctl against a closed endpoint ends with 0, 1, 2, 3 or 4 and never throws', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    // Only the closed endpoint is really dialled: any other host fails as a DNS failure would.
    const dial: typeof fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).startsWith(endpoint)
        ? fetch(input, init)
        : Promise.reject(new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') }));
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(taskctlArgv(endpoint), async (argv) => {
        const stderr = sink();
        const code = await runTaskctl({
          argv,
          stdout: sink(),
          stderr,
          env: { TASKD_ENDPOINT: endpoint },
          fetch: dial,
          signal: AbortSignal.timeout(5_000),
        });
        expect([0, 1, 2, 3, 4], `${JSON.stringify(argv)} → ${code}: ${stderr.text()}`).toContain(code);
        seen.add(code);
      }),
      { numRuns: 300 },
    );
    expect([...seen]).toEqual(expect.arrayContaining([0, 2, 3]));
  });
});
