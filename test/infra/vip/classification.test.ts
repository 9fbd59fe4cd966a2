import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  createVipAdapter,
  isAlreadyPresent,
  isNotPresent,
} from '../../../src/infra/vip/index.ts';
import { ipAddrShowJson, ran, scriptedRunner, UP } from './scripted-runner.ts';

const ADD = 'ip addr add 10.0.0.200/24 dev eth0';

describe('classifying what a failed ip command said', () => {
  it.each([
    ['an unknown interface (add)', ran(ADD, 1, 'Cannot find device "eth9"\n'), 'config', 'unknown interface'],
    [
      'an unknown interface (show)',
      ran('ip', 1, 'Device "eth9" does not exist.\n'),
      'config',
      'unknown interface',
    ],
    [
      'a malformed address',
      ran(ADD, 1, 'Error: any valid prefix is expected rather than "10.0.0.300/24".\n'),
      'config',
      'malformed address',
    ],
    [
      'a missing capability',
      ran(ADD, 2, 'RTNETLINK answers: Operation not permitted\n'),
      'config',
      'not permitted',
    ],
    [
      'a busy kernel',
      ran(ADD, 2, 'RTNETLINK answers: No buffer space available\n'),
      'transient',
      'command failed',
    ],
    ['a network error', ran(ADD, 2, 'RTNETLINK answers: Network is down\n'), 'transient', 'command failed'],
    ['a timeout', { ...ran(ADD, null, ''), timedOut: true }, 'transient', 'timed out'],
    ['an abort', { ...ran(ADD, null, ''), aborted: true }, 'transient', 'aborted'],
    [
      'a missing binary',
      { ...ran(ADD, null, ''), argv: ['ip'], spawnError: 'ENOENT: spawn ip ENOENT' },
      'transient',
      'ip is not installed',
    ],
  ] as const)('%s is %s', (_, result, cause, what) => {
    expect(classifyFailure(result)).toEqual({ cause, what: expect.stringContaining(what) });
  });

  it.each([
    'RTNETLINK answers: File exists',
    'Error: ipv4: Address already assigned.',
    'Error: ipv6: address already assigned.',
  ])('reads "%s" as an address already there (acquire is done)', (said) => {
    expect(isAlreadyPresent(ran(ADD, 2, said))).toBe(true);
    expect(isNotPresent(ran(ADD, 2, said))).toBe(false);
  });

  it.each([
    'RTNETLINK answers: Cannot assign requested address',
    'Error: ipv4: Address not found.',
    'Error: ipv6: address not found.',
  ])('reads "%s" as an address already gone (release is done)', (said) => {
    expect(isNotPresent(ran(ADD, 2, said))).toBe(true);
    expect(isAlreadyPresent(ran(ADD, 2, said))).toBe(false);
  });

  it('never reads a success as already there or already gone', () => {
    expect(isAlreadyPresent(ran(ADD, 0, 'File exists'))).toBe(false);
    expect(isNotPresent(ran(ADD, 0, 'Address not found'))).toBe(false);
  });
});

const target = { address: '10.0.0.200', prefix: 24, iface: 'eth0' };
const acquireRequest = { ...target, arpCount: 2, arpIntervalMs: 200 };
const showOk = { match: /^ip -j addr show/, answer: { output: ipAddrShowJson(UP, ['10.0.0.11/24']) } };

describe('acquiring over a scripted runner', () => {
  it('treats an address already there as acquired, and still sends the gratuitous ARP', async () => {
    const fake = scriptedRunner([
      showOk,
      { match: /^ip addr add/, answer: { exitCode: 2, output: 'Error: ipv4: Address already assigned.\n' } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire(acquireRequest);
    expect(outcome).toMatchObject({
      ok: true,
      operation: 'acquire',
      unchanged: true,
      arp: { status: 'sent' },
    });
    expect(fake.calls.map((call) => call.commandLine)).toEqual([
      'ip -j addr show dev eth0',
      'ip addr add 10.0.0.200/24 dev eth0',
      'arping -U -c 2 -w 3 -I eth0 10.0.0.200',
    ]);
  });

  it('keeps the address when the gratuitous ARP fails, and says why', async () => {
    const fake = scriptedRunner([
      showOk,
      { match: /^arping/, answer: { exitCode: 2, output: 'arping: Device eth0 not available.\n' } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire(acquireRequest);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.arp).toEqual({
      status: 'failed',
      message: 'gratuitous ARP failed (exit 2): arping: Device eth0 not available.',
    });
    expect(fake.calls.some((call) => call.commandLine.startsWith('ip addr del'))).toBe(false);
  });

  it('reports a failed add as transient with every command and its output', async () => {
    const fake = scriptedRunner([
      showOk,
      {
        match: /^ip addr add/,
        answer: { exitCode: 2, output: 'RTNETLINK answers: No buffer space available\n' },
      },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire(acquireRequest);
    expect(outcome).toMatchObject({ ok: false, operation: 'acquire', cause: 'transient' });
    if (outcome.ok) return;
    expect(outcome.message).toBe(
      'acquire 10.0.0.200/24 on eth0: command failed (RTNETLINK answers: No buffer space available)',
    );
    expect(outcome.output).toContain('$ ip -j addr show dev eth0  [exit 0]');
    expect(outcome.output).toContain(
      '$ ip addr add 10.0.0.200/24 dev eth0  [exit 2]\nRTNETLINK answers: No buffer space available',
    );
  });

  it.each([
    ['down', ['BROADCAST', 'MULTICAST'], 'is down'],
    ['without carrier', ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'], 'no carrier'],
  ])('fails transiently on a link %s, before adding anything', async (_, flags, why) => {
    const fake = scriptedRunner([
      { match: /^ip -j addr show/, answer: { output: ipAddrShowJson(flags, ['10.0.0.11/24']) } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire(acquireRequest);
    expect(outcome).toMatchObject({ ok: false, cause: 'transient', message: expect.stringContaining(why) });
    expect(fake.calls).toHaveLength(1);
  });

  it('refuses an address in no subnet of the interface as a config error, before adding it', async () => {
    const fake = scriptedRunner([
      {
        match: /^ip -j addr show/,
        answer: { output: ipAddrShowJson(UP, ['192.168.5.11/24', 'fd00::11/64']) },
      },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire(acquireRequest);
    expect(outcome).toMatchObject({ ok: false, cause: 'config' });
    if (outcome.ok) return;
    expect(outcome.message).toBe(
      'acquire 10.0.0.200/24 on eth0: 10.0.0.200 is in no subnet of eth0 (its IPv4 addresses: 192.168.5.11/24)',
    );
    expect(fake.calls).toHaveLength(1);
  });

  it('does not count the VIP itself as its own subnet', async () => {
    const fake = scriptedRunner([
      {
        match: /^ip -j addr show/,
        answer: { output: ipAddrShowJson(UP, ['10.0.0.200/24', '192.168.5.11/24']) },
      },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire(acquireRequest);
    expect(outcome).toMatchObject({ ok: false, cause: 'config' });
  });

  it('reports an unknown interface as a config error naming the device', async () => {
    const fake = scriptedRunner([
      { match: /^ip -j addr show/, answer: { exitCode: 1, output: 'Device "eth9" does not exist.\n' } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire({
      ...acquireRequest,
      iface: 'eth9',
    });
    expect(outcome).toMatchObject({
      ok: false,
      cause: 'config',
      message: 'inspect eth9: unknown interface (Device "eth9" does not exist.)',
    });
  });

  it('reports a timed out inspection as transient', async () => {
    const fake = scriptedRunner([{ match: /^ip -j addr show/, answer: { exitCode: null, timedOut: true } }]);
    const outcome = await createVipAdapter({ runCommand: fake.run, timeoutMs: 750 }).acquire(acquireRequest);
    expect(outcome).toMatchObject({
      ok: false,
      cause: 'transient',
      message: 'inspect eth0: timed out (timed out after 750 ms)',
    });
  });

  it('reports ip missing as transient', async () => {
    const fake = scriptedRunner([
      { match: /^ip /, answer: { exitCode: null, spawnError: 'ENOENT: spawn ip ENOENT' } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire(acquireRequest);
    expect(outcome).toMatchObject({
      ok: false,
      cause: 'transient',
      message: expect.stringContaining('ip is not installed'),
    });
  });

  it('runs no command for a malformed address: a config error', async () => {
    const fake = scriptedRunner([]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire({
      ...acquireRequest,
      address: '10.0.0.256',
    });
    expect(outcome).toMatchObject({ ok: false, cause: 'config', output: '' });
    expect(fake.calls).toHaveLength(0);
  });

  it('adds an IPv6 VIP without duplicate address detection and skips ARP, saying so', async () => {
    const fake = scriptedRunner([
      { match: /^ip -j addr show/, answer: { output: ipAddrShowJson(UP, ['fd00::11/64']) } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire({
      ...acquireRequest,
      address: 'fd00::200',
      prefix: 64,
    });
    expect(outcome).toMatchObject({
      ok: true,
      arp: { status: 'skipped', reason: expect.stringContaining('IPv6') },
    });
    expect(fake.calls.map((call) => call.commandLine)).toEqual([
      'ip -j addr show dev eth0',
      'ip addr add fd00::200/64 dev eth0 nodad',
    ]);
  });

  it('sends no ARP when arpCount is 0', async () => {
    const fake = scriptedRunner([showOk]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).acquire({
      ...acquireRequest,
      arpCount: 0,
    });
    expect(outcome).toMatchObject({ ok: true, arp: { status: 'skipped', reason: 'arpCount is 0' } });
    expect(fake.calls).toHaveLength(2);
  });

  it('gives arping its sending time on top of the command timeout, in whole seconds', async () => {
    const fake = scriptedRunner([showOk]);
    await createVipAdapter({ runCommand: fake.run, timeoutMs: 1_000 }).acquire({
      ...acquireRequest,
      arpCount: 3,
      arpIntervalMs: 1_500,
    });
    const arping = fake.calls[2];
    expect(arping?.commandLine).toBe('arping -U -c 3 -i 2 -w 7 -I eth0 10.0.0.200');
    expect(arping?.options.timeoutMs).toBe(8_000);
  });

  it('runs every command inside the configured namespace', async () => {
    const fake = scriptedRunner([showOk]);
    await createVipAdapter({ runCommand: fake.run, netns: 'ns1' }).acquire(acquireRequest);
    expect(fake.calls.map((call) => call.options.netns)).toEqual(['ns1', 'ns1', 'ns1']);
  });
});

describe('releasing over a scripted runner', () => {
  it('treats an address already gone as released', async () => {
    const fake = scriptedRunner([
      { match: /^ip addr del/, answer: { exitCode: 2, output: 'Error: ipv4: Address not found.\n' } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).release(target);
    expect(outcome).toMatchObject({ ok: true, operation: 'release', unchanged: true, arp: null });
  });

  it('reports an unknown interface as a config error', async () => {
    const fake = scriptedRunner([
      { match: /^ip addr del/, answer: { exitCode: 1, output: 'Cannot find device "eth9"\n' } },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).release({ ...target, iface: 'eth9' });
    expect(outcome).toMatchObject({
      ok: false,
      operation: 'release',
      cause: 'config',
      message: 'release 10.0.0.200/24 on eth9: unknown interface (Cannot find device "eth9")',
    });
  });

  it('cleans every stale copy of the address, whatever prefix an earlier run gave it', async () => {
    const fake = scriptedRunner([
      {
        match: /^ip -j addr show/,
        answer: { output: ipAddrShowJson(UP, ['10.0.0.11/24', '10.0.0.200/32', '10.0.0.200/24']) },
      },
    ]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).cleanStale(target);
    expect(outcome).toMatchObject({ ok: true, operation: 'release', unchanged: false });
    expect(fake.calls.map((call) => call.commandLine)).toEqual([
      'ip -j addr show dev eth0',
      'ip addr del 10.0.0.200/32 dev eth0',
      'ip addr del 10.0.0.200/24 dev eth0',
    ]);
  });

  it('cleans nothing when no copy is there', async () => {
    const fake = scriptedRunner([showOk]);
    const outcome = await createVipAdapter({ runCommand: fake.run }).cleanStale(target);
    expect(outcome).toMatchObject({ ok: true, unchanged: true });
    expect(fake.calls).toHaveLength(1);
  });
});
