/**
 * Junk another ZooKeeper client may write under a taskd cluster's root: foreign children in the
 * members, election, drains and log folders, batches and stream heads that do not parse, junk data
 * over the leader znode. Each write knows how to undo itself, so fuzz runs stay independent.
 */
import fc from 'fast-check';
import zookeeper, { type Client } from 'node-zookeeper-client';

export type JunkTarget = 'members' | 'election' | 'leader' | 'log-events' | 'log-streams' | 'drains' | 'root';

export interface Junk {
  readonly target: JunkTarget;
  readonly name: string;
  readonly data: Uint8Array;
}

/** Names a child may have: random text, near-misses of taskd's own names, path-like words. */
const childName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_~%.-]{1,24}$/),
  fc.constantFrom(
    'n_',
    'n_x',
    'n_0000000001x',
    'junk~0000000001',
    'submissions~',
    '%ZZ~0000000001',
    'zz',
    '..a',
  ),
);

/** Data a child may hold: bytes, JSON of the wrong shape, JSON close to taskd's own records. */
const junkData = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => new TextEncoder().encode(JSON.stringify(v))),
  fc
    .constantFrom(
      { node: 7, epoch: 'x', address: null },
      { node: 'ghost', epoch: -1, address: '' },
      { v: 1, stream: 'submissions', revision: 'x', events: [{}] },
      { length: -5, version: 'no' },
      { node: 'n9', incarnation: 'one', capacity: -3, load: null },
    )
    .map((v) => new TextEncoder().encode(JSON.stringify(v))),
);

export const junkArb: fc.Arbitrary<Junk> = fc.record({
  target: fc.constantFrom<JunkTarget>(
    'members',
    'election',
    'leader',
    'log-events',
    'log-streams',
    'drains',
    'root',
  ),
  name: childName,
  data: junkData,
});

/** Writes `junk` under `root`; resolves with how to undo it (undefined when nothing was written). */
export async function writeJunk(
  client: Client,
  root: string,
  junk: Junk,
  liveNodes: readonly string[],
): Promise<(() => Promise<void>) | undefined> {
  const data = Buffer.from(junk.data);
  if (junk.target === 'leader') {
    const before = await call<Buffer | undefined>((done) => client.getData(`${root}/leader`, done)).catch(
      () => undefined,
    );
    if (before === undefined) return undefined;
    await call((done) => client.setData(`${root}/leader`, data, -1, done));
    return () =>
      call((done) => client.setData(`${root}/leader`, before, -1, done)).then(
        () => undefined,
        () => undefined,
      );
  }
  // A drain znode named after a live node is an operator's drain, not junk.
  if (junk.target === 'drains' && liveNodes.includes(junk.name)) return undefined;
  const parent = {
    members: `${root}/members`,
    election: `${root}/election`,
    'log-events': `${root}/log/events`,
    'log-streams': `${root}/log/streams`,
    drains: `${root}/drains`,
    root,
  }[junk.target];
  await call((done) => client.mkdirp(parent, done)).catch(() => undefined);
  const path = `${parent}/${junk.name}`;
  const created = await call<string>((done) =>
    client.create(path, data, zookeeper.CreateMode.PERSISTENT, done),
  ).catch(() => undefined);
  if (created === undefined) return undefined;
  return () =>
    call((done) => client.remove(created, -1, done)).then(
      () => undefined,
      () => undefined,
    );
}

/** A node-zookeeper-client call as a promise. */
function call<T = unknown>(start: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) => (error ? reject(error) : resolve(value as T))),
  );
}
