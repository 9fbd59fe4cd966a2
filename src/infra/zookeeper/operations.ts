/**
 * The session's promise methods: each one call of the library through the request registry
 * (deadline, typed errors), with the library's untruthful typings corrected: a missing znode gives
 * `null` (exists hands a null Stat, getData/getChildren fail with NO_NODE), data may be `undefined`.
 */
import type zookeeper from 'node-zookeeper-client';
import { ErrorCodes, hasCode } from '../../errors.ts';
import { type Acl, OPEN_ACL, toLibraryAcls } from './acl.ts';
import { createModeOf } from './create-mode.ts';
import { buildTransaction, interpretMulti } from './multi.ts';
import type { RequestRegistry } from './request-registry.ts';
import { toBuffer, toData, toZkStat } from './stat.ts';
import type { CreateOptions, MultiOp, MultiResult, NodeChildren, NodeData, ZkStat } from './types.ts';

/** A one-shot watch callback as the library calls it. */
export type LibraryWatcher = (event: zookeeper.Event) => void;

export interface Operations {
  create(path: string, options?: CreateOptions): Promise<string>;
  getData(path: string, watcher?: LibraryWatcher): Promise<NodeData | null>;
  exists(path: string, watcher?: LibraryWatcher): Promise<ZkStat | null>;
  getChildren(path: string, watcher?: LibraryWatcher): Promise<NodeChildren | null>;
  setData(path: string, data: Buffer | string, version?: number): Promise<ZkStat>;
  remove(path: string, version?: number): Promise<void>;
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]>;
  mkdirp(path: string, options?: { readonly acl?: readonly Acl[] }): Promise<void>;
}

function nullWhenAbsent<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (hasCode(error, ErrorCodes.ZK_NO_NODE)) return null;
    throw error;
  });
}

/** The operations of one session over its client and request registry. */
/** `defaultAcl` applies to every create that names no ACL (the session's credentials, when set). */
export function createOperations(
  client: zookeeper.Client,
  requests: RequestRegistry,
  defaultAcl: readonly Acl[] = OPEN_ACL,
): Operations {
  const create = (path: string, options: CreateOptions = {}): Promise<string> =>
    requests.run(
      { op: 'create', path },
      (done) => {
        // Converted in here: a bad ACL throws, and the registry turns that into a rejection.
        const acl = toLibraryAcls(options.acl ?? defaultAcl);
        const mode = createModeOf(options);
        const data = toBuffer(options.data);
        if (data === undefined) client.create(path, acl, mode, done);
        else client.create(path, data, acl, mode, done);
      },
      (created) => created as string,
    );

  const getData = (path: string, watcher?: LibraryWatcher) =>
    nullWhenAbsent(
      requests.run(
        { op: 'getData', path },
        (done) => (watcher ? client.getData(path, watcher, done) : client.getData(path, done)),
        (data, stat): NodeData => ({
          data: toData(data as Buffer | undefined),
          stat: toZkStat(stat as zookeeper.Stat),
        }),
      ),
    );

  const exists = (path: string, watcher?: LibraryWatcher) =>
    requests.run(
      { op: 'exists', path },
      (done) => (watcher ? client.exists(path, watcher, done) : client.exists(path, done)),
      (stat) => (stat ? toZkStat(stat as zookeeper.Stat) : null),
    );

  const getChildren = (path: string, watcher?: LibraryWatcher) =>
    nullWhenAbsent(
      requests.run(
        { op: 'getChildren', path },
        (done) => (watcher ? client.getChildren(path, watcher, done) : client.getChildren(path, done)),
        (children, stat): NodeChildren => ({
          children: [...(children as string[])].sort(),
          stat: toZkStat(stat as zookeeper.Stat),
        }),
      ),
    );

  const setData = (path: string, data: Buffer | string, version = -1) =>
    requests.run(
      { op: 'setData', path, version },
      (done) => client.setData(path, toBuffer(data)!, version, done),
      (stat) => toZkStat(stat as zookeeper.Stat),
    );

  const remove = (path: string, version = -1) =>
    requests.run(
      { op: 'remove', path, version },
      (done) => client.remove(path, version, done),
      () => undefined,
    );

  const multi = (ops: readonly MultiOp[]) =>
    requests.run(
      { op: 'multi', path: ops[0]?.path, ops: ops.length },
      (done) => {
        const transaction = client.transaction();
        buildTransaction(transaction, ops, defaultAcl);
        // The library reports a failed op as an error *with* results; hand both to the interpreter.
        transaction.commit((error, results) => done(null, error, results));
      },
      (error, results) => interpretMulti(ops, error, results as Parameters<typeof interpretMulti>[2]),
    );

  const mkdirp = async (path: string, options: { readonly acl?: readonly Acl[] } = {}) => {
    const parts = path.split('/').filter(Boolean);
    for (let depth = 1; depth <= parts.length; depth++) {
      const prefix = `/${parts.slice(0, depth).join('/')}`;
      try {
        await create(prefix, options.acl ? { acl: options.acl } : {});
      } catch (error) {
        if (!hasCode(error, ErrorCodes.ZK_NODE_EXISTS)) throw error;
      }
    }
  };

  return { create, getData, exists, getChildren, setData, remove, multi, mkdirp };
}
