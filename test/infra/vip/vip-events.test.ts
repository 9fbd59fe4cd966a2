import { describe, expect, it } from 'vitest';
import { createVipAdapter, vipEventOf } from '../../../src/infra/vip/index.ts';
import { ipAddrShowJson, scriptedRunner, UP } from './scripted-runner.ts';

const request = { address: '10.0.0.200', prefix: 24, iface: 'eth0', arpCount: 1, arpIntervalMs: 1_000 };

describe('outcomes as node events', () => {
  it('maps an acquire to VipAcquired and a release to VipReleased, with the address as configured', async () => {
    const fake = scriptedRunner([
      { match: /^ip -j addr show/, answer: { output: ipAddrShowJson(UP, ['10.0.0.11/24']) } },
    ]);
    const vip = createVipAdapter({ runCommand: fake.run });
    expect(vipEventOf(await vip.acquire(request))).toEqual({
      type: 'VipAcquired',
      data: { address: '10.0.0.200' },
    });
    expect(vipEventOf(await vip.release(request))).toEqual({
      type: 'VipReleased',
      data: { address: '10.0.0.200' },
    });
  });

  it('maps a failure to VipFailed with its operation, cause, message and the commands transcript', async () => {
    const fake = scriptedRunner([
      {
        match: /^ip addr del/,
        answer: { exitCode: 2, output: 'RTNETLINK answers: Resource temporarily unavailable\n' },
      },
    ]);
    const event = vipEventOf(await createVipAdapter({ runCommand: fake.run }).release(request));
    expect(event).toEqual({
      type: 'VipFailed',
      data: {
        operation: 'release',
        cause: 'transient',
        message:
          'release 10.0.0.200/24 on eth0: command failed (RTNETLINK answers: Resource temporarily unavailable)',
        output:
          '$ ip addr del 10.0.0.200/24 dev eth0  [exit 2]\nRTNETLINK answers: Resource temporarily unavailable',
      },
    });
  });
});
