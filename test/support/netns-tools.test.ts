import { describe, expect, it } from 'vitest';
import { NETNS_INSTALL_COMMAND, requireNetnsTools } from './netns-tools.ts';

describe('the network-namespace tests without their tools', () => {
  it('fail, naming what is missing and the install command', () => {
    expect(() => requireNetnsTools({ PATH: '/nonexistent' })).toThrow(
      /missing .*`ip` \(Debian package iproute2\), `arping` \(Debian package iputils-arping\)/,
    );
    expect(() => requireNetnsTools({ PATH: '/nonexistent' })).toThrow(NETNS_INSTALL_COMMAND);
  });

  it('pass on this machine, where the suite runs as root with iproute2 and iputils-arping', () => {
    expect(() => requireNetnsTools()).not.toThrow();
  });
});
