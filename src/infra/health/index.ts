export { type CommandProbeDeps, type CommandProbeOptions, commandProbe$ } from './command-probe.ts';
export type { HealthCheck } from './health-check.ts';
export { type HostPort, parseHostPort } from './host-port.ts';
export { type PeerProbeDeps, type PeerProbeOptions, peerProbe$ } from './peer-probe.ts';
export { type PeerReach, type TcpConnect, tcpConnect$ } from './tcp-connect.ts';
