/**
 * Membership: this node's ephemeral member znode (address, incarnation, priority, health, draining,
 * capacity, load), kept current, and every member's znode watched and read into a view.
 */
import {
  combineLatest,
  concat,
  defer,
  EMPTY,
  from,
  type MonoTypeOperatorFunction,
  type Observable,
  of,
  retry,
  throwError,
  timer,
} from 'rxjs';
import { catchError, concatMap, ignoreElements, map, switchMap } from 'rxjs/operators';
import type { MemberView } from '../domain/members.ts';
import { memberViewSchema } from '../domain/node/index.ts';
import { isRetryableZkError, type ZooKeeperSession } from '../infra/zookeeper/index.ts';
import type { ClusterPaths } from './cluster-paths.ts';

/** A member view as znode data. */
export function encodeMember(view: MemberView): Buffer {
  return Buffer.from(JSON.stringify(view));
}

/** A member znode's data as a view, or undefined when another client wrote junk there. */
export function decodeMember(data: Buffer): MemberView | undefined {
  try {
    const parsed = memberViewSchema.safeParse(JSON.parse(data.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates this node's member znode with the first view and updates it with each later one. A znode
 * left by this node's previous, dead session is replaced: that session is gone for us (DESIGN §4).
 */
export function publishMember$(
  zk: ZooKeeperSession,
  paths: ClusterPaths,
  view$: Observable<MemberView>,
): Observable<never> {
  let created = false;
  return view$.pipe(
    concatMap((view) =>
      defer(async () => {
        const path = paths.member(view.node);
        if (created) {
          await zk.setData(path, encodeMember(view), -1);
          return;
        }
        await zk.mkdirp(paths.members);
        const stale = await zk.exists(path);
        if (stale !== null && stale.ephemeralOwner !== zk.credentials().sessionId)
          await zk.remove(path, stale.version);
        await zk.create(path, { data: encodeMember(view), ephemeral: true });
        created = true;
      }).pipe(retryWhileConnected()),
    ),
    ignoreElements(),
  );
}

/** Every member with a readable znode, each time the members folder changes or a member's data does. */
export function members$(zk: ZooKeeperSession, paths: ClusterPaths): Observable<readonly MemberView[]> {
  return concat(
    defer(() => from(zk.mkdirp(paths.members))).pipe(ignoreElements()),
    zk.watchChildren$(paths.members),
  ).pipe(
    switchMap((children) => {
      const names = children?.children ?? [];
      if (names.length === 0) return of([]);
      // One data watch per member: a member that changes its health or load is seen at once.
      return combineLatest(names.map((name) => memberData$(zk, `${paths.members}/${name}`))).pipe(
        map((views) => views.filter((view): view is MemberView => view !== undefined)),
      );
    }),
  );
}

function memberData$(zk: ZooKeeperSession, path: string): Observable<MemberView | undefined> {
  return zk.watchData$(path).pipe(
    map((node) => (node === null ? undefined : decodeMember(node.data))),
    // A watch that ended (the session is gone) says nothing more; it must not look like a member leaving.
    catchError(() => EMPTY),
  );
}

/** Retries an operation that failed because the connection dropped for a moment (the session lives on). */
export function retryWhileConnected<T>(): MonoTypeOperatorFunction<T> {
  return retry({
    delay: (error: unknown, count) =>
      isRetryableZkError(error) ? timer(Math.min(100 * 2 ** count, 2_000)) : throwError(() => error),
  });
}
