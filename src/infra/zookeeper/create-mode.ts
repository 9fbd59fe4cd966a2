import zookeeper from 'node-zookeeper-client';

/** The library's CreateMode for the ephemeral/sequential flags. */
export function createModeOf(options: {
  readonly ephemeral?: boolean;
  readonly sequential?: boolean;
}): number {
  const { CreateMode } = zookeeper;
  if (options.ephemeral) return options.sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
  return options.sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT;
}
