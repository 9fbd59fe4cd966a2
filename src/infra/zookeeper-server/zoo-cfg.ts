/** Ports of one ensemble member on 127.0.0.1. */
export interface MemberPorts {
  readonly id: number;
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
}

export interface ZooCfgInput {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly tickTimeMs: number;
  readonly maxSessionTimeoutMs: number;
  /** Every member of the ensemble, this one included; empty for a standalone server. */
  readonly members: readonly MemberPorts[];
}

/** Renders a zoo.cfg for a test or demo server on loopback. Pure. */
export function renderZooCfg(input: ZooCfgInput): string {
  const lines = [
    `tickTime=${input.tickTimeMs}`,
    // Limits are counted in ticks: with small ticks they must be generous, or a loaded machine flaps.
    `initLimit=${Math.max(10, Math.ceil(10_000 / input.tickTimeMs))}`,
    `syncLimit=${Math.max(5, Math.ceil(2_000 / input.tickTimeMs))}`,
    `dataDir=${input.dataDir}`,
    `clientPort=${input.clientPort}`,
    'clientPortAddress=127.0.0.1',
    `minSessionTimeout=${2 * input.tickTimeMs}`,
    `maxSessionTimeout=${input.maxSessionTimeoutMs}`,
    'maxClientCnxns=0',
    '4lw.commands.whitelist=*',
    'admin.enableServer=false',
    // Throwaway data: skip fsync and the 64 MB log preallocation.
    'forceSync=no',
    'preAllocSize=1024',
    'reconfigEnabled=false',
    ...input.members.map((m) => `server.${m.id}=127.0.0.1:${m.quorumPort}:${m.electionPort}`),
  ];
  return `${lines.join('\n')}\n`;
}
