/**
 * Where the task log to replay lives, as one string:
 *
 * - a file path (or `file:<path>`): the file backend, opened read-only;
 * - `zk://[user:password@]host:port,host:port/<cluster>[?root=/znode/path]`: the ZooKeeper backend;
 * - `esdb://…` or `esdb+discover://…` with an optional `cluster=<name>` query parameter (default
 *   `taskd`), which is taken out before the rest is handed to the EventStoreDB client.
 */

export type TaskLogSpec =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'zookeeper';
      readonly hosts: readonly string[];
      readonly cluster: string;
      readonly root?: string;
      readonly auth?: { readonly user: string; readonly password: string };
    }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string; readonly cluster: string };

export type ParsedTaskLogSpec =
  | { readonly ok: true; readonly spec: TaskLogSpec }
  | { readonly ok: false; readonly message: string };

const DEFAULT_CLUSTER = 'taskd';
const HOST_PORT = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Reads a task-log spec; never throws. */
export function parseTaskLogSpec(text: string): ParsedTaskLogSpec {
  const spec = text.trim();
  if (spec === '') return fail(text, 'it is empty');
  if (spec.startsWith('zk://')) return parseZooKeeper(spec);
  if (spec.startsWith('esdb://') || spec.startsWith('esdb+discover://')) return parseEventStore(spec);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !spec.startsWith('file://')) {
    return fail(text, 'expected a file path, zk://… or esdb://…');
  }
  const path = spec.replace(/^file:(\/\/)?/, '');
  return path === '' ? fail(text, 'the file path is empty') : { ok: true, spec: { kind: 'file', path } };
}

/** The spec with any password replaced, for reports. */
export function describeTaskLogSpec(spec: TaskLogSpec): string {
  switch (spec.kind) {
    case 'file':
      return spec.path;
    case 'zookeeper': {
      const user = spec.auth === undefined ? '' : `${spec.auth.user}:[redacted]@`;
      const root = spec.root === undefined ? '' : `?root=${spec.root}`;
      return `zk://${user}${spec.hosts.join(',')}/${spec.cluster}${root}`;
    }
    case 'eventstoredb':
      return spec.connectionString.replace(/\/\/[^/@]*@/, '//[redacted]@');
  }
}

function parseZooKeeper(spec: string): ParsedTaskLogSpec {
  const rest = spec.slice('zk://'.length);
  const [beforeQuery = '', query] = splitOnce(rest, '?');
  const [authority = '', path = ''] = splitOnce(beforeQuery, '/');
  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? undefined : authority.slice(0, at);
  const hosts = (at === -1 ? authority : authority.slice(at + 1)).split(',').filter((host) => host !== '');
  if (hosts.length === 0) return fail(spec, 'zk:// needs at least one host:port');
  const badHost = hosts.find((host) => !HOST_PORT.test(host));
  if (badHost !== undefined) return fail(spec, `"${badHost}" is not host:port`);
  const cluster = decodeURIComponent(path.replace(/\/+$/, ''));
  if (!CLUSTER_NAME.test(cluster)) {
    return fail(spec, 'zk:// needs the cluster name as its path: zk://host:port,host:port/<cluster>');
  }
  const root = query === undefined ? undefined : new URLSearchParams(query).get('root');
  if (root !== undefined && root !== null && !root.startsWith('/')) {
    return fail(spec, 'root must be an absolute znode path');
  }
  let auth: { user: string; password: string } | undefined;
  if (userInfo !== undefined) {
    const [user = '', password] = splitOnce(userInfo, ':');
    if (user === '' || password === undefined || password === '') {
      return fail(spec, 'credentials must read user:password@');
    }
    auth = { user: decodeURIComponent(user), password: decodeURIComponent(password) };
  }
  return {
    ok: true,
    spec: {
      kind: 'zookeeper',
      hosts,
      cluster,
      ...(root === undefined || root === null ? {} : { root }),
      ...(auth === undefined ? {} : { auth }),
    },
  };
}

function parseEventStore(spec: string): ParsedTaskLogSpec {
  const [base = '', query] = splitOnce(spec, '?');
  const params = new URLSearchParams(query ?? '');
  const cluster = params.get('cluster') ?? DEFAULT_CLUSTER;
  if (!CLUSTER_NAME.test(cluster)) return fail(spec, `"${cluster}" is not a cluster name`);
  params.delete('cluster');
  const rest = params.toString();
  if (base.split('://')[1] === '') return fail(spec, 'esdb:// needs a host');
  return {
    ok: true,
    spec: { kind: 'eventstoredb', connectionString: rest === '' ? base : `${base}?${rest}`, cluster },
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function fail(text: string, why: string): ParsedTaskLogSpec {
  // The spec may carry a password: never echo it.
  const shown = text.replace(/(\/\/[^/:@]*):[^/@]*@/, '$1:[redacted]@');
  return { ok: false, message: `cannot read the task log "${shown}": ${why}` };
}
