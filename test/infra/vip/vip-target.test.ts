import { describe, expect, it } from 'vitest';
import { checkVipTarget } from '../../../src/infra/vip/index.ts';

const iface = 'eth0';

describe('checking a VIP before any command runs', () => {
  it.each([
    ['10.0.0.5', 24, 4],
    ['10.0.0.5', 32, 4],
    ['192.168.1.200', 1, 4],
    ['fd00::5', 64, 6],
    ['2001:db8::1', 128, 6],
  ])('accepts %s/%i as IPv%i', (address, prefix, family) => {
    const checked = checkVipTarget({ address, prefix, iface });
    expect(checked).toEqual({
      ok: true,
      target: { address, prefix, iface, family, cidr: `${address}/${prefix}` },
    });
  });

  it.each([
    ['10.0.0.300', 24, 'not an IPv4 or IPv6 address'],
    ['10.0.0.5/24', 24, 'not an IPv4 or IPv6 address'],
    ['010.0.0.5', 24, 'not an IPv4 or IPv6 address'],
    ['vip.example.com', 24, 'not an IPv4 or IPv6 address'],
    ['', 24, 'not an IPv4 or IPv6 address'],
    ['fe80::1%eth0', 64, 'zone id'],
    ['0.0.0.0', 24, '"this network"'],
    ['127.0.0.9', 8, 'loopback'],
    ['224.0.0.18', 24, 'multicast'],
    ['255.255.255.255', 32, 'broadcast'],
    ['::1', 128, 'loopback'],
    ['::', 64, 'unspecified'],
    ['ff02::1', 64, 'multicast'],
    ['fe80::5', 64, 'link-local'],
    ['10.0.0.5', 33, 'out of range for IPv4: use 1-32'],
    ['10.0.0.5', 0, 'out of range'],
    ['10.0.0.5', 24.5, 'out of range'],
    ['fd00::5', 129, 'out of range for IPv6: use 1-128'],
  ])('rejects %s/%s: %s', (address, prefix, why) => {
    const checked = checkVipTarget({ address, prefix, iface });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toContain(why);
  });

  it.each(['', 'a-very-long-interface0', 'eth 0', 'eth0/1', '..', 'eth0;reboot'])(
    'rejects the interface name "%s"',
    (name) => {
      const checked = checkVipTarget({ address: '10.0.0.5', prefix: 24, iface: name });
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.message).toContain('not a valid interface name');
    },
  );

  it('accepts VLAN and alias style interface names', () => {
    for (const name of ['eth0.100', 'bond0', 'br-mgmt', 'ens3f0np0', 'eth0:1']) {
      expect(checkVipTarget({ address: '10.0.0.5', prefix: 24, iface: name }).ok).toBe(true);
    }
  });
});
