/**
 * Leader election with ephemeral sequential znodes. The lowest sequence leads and its sequence is the
 * epoch (plus one), which only grows. No herd: a candidate watches only its predecessor. The leader publishes an
 * ephemeral `leader` znode that every node watches to know who leads.
 */
import { randomUUID } from 'node:crypto';
import { concat, defer, EMPTY, NEVER, type Observable, of, retry, throwError, timer } from 'rxjs';
import { filter, finalize, map, switchMap, take } from 'rxjs/operators';
import { z } from 'zod';
import { isRetryableZkError, type ZooKeeperSession } from '../infra/zookeeper/index.ts';
import type { ClusterPaths } from './cluster-paths.ts';
import { retryWhileConnected } from './membership.ts';

export type ElectionProgress =
  | { readonly kind: 'joined'; readonly sequence: number; readonly path: string }
  | { readonly kind: 'elected'; readonly epoch: number };

export interface LeaderRecord {
  readonly node: string;
  readonly epoch: number;
  readonly address: string;
}

const leaderSchema = z.object({
  node: z.string().min(1),
  epoch: z.number().int().nonnegative(),
  address: z.string(),
});

/** The sequence ZooKeeper appended to a sequential znode's name. */
export function sequenceOf(name: string): number {
  return Number(name.slice(-10));
}

/** The candidate just ahead of `own` in sequence order, or undefined when `own` is first. */
export function predecessorOf(children: readonly string[], own: string): string | undefined {
  const ordered = [...children]
    .filter((c) => c.startsWith('n_'))
    .sort((a, b) => sequenceOf(a) - sequenceOf(b));
  const index = ordered.indexOf(own);
  return index > 0 ? ordered[index - 1] : undefined;
}

/** Resolves once the znode at `path` is gone. */
function gone$(zk: ZooKeeperSession, path: string): Observable<void> {
  return zk.watchExists$(path).pipe(
    filter((stat) => stat === null),
    take(1),
    map(() => undefined),
  );
}

/** Waits, watching only the predecessor each time, until `own` is the lowest candidate. */
function first$(zk: ZooKeeperSession, paths: ClusterPaths, own: string): Observable<void> {
  return defer(async () => (await zk.getChildren(paths.election))?.children ?? []).pipe(
    switchMap((children) => {
      if (!children.includes(own)) throw new Error(`election candidate ${own} vanished`);
      const predecessor = predecessorOf(children, own);
      if (predecessor === undefined) return of(undefined);
      return gone$(zk, `${paths.election}/${predecessor}`).pipe(switchMap(() => first$(zk, paths, own)));
    }),
  );
}

/**
 * Runs one candidacy: joins, waits to be first, then publishes the leader znode. Unsubscribing
 * withdraws: the leader znode (if ours) and the candidate znode are removed.
 */
export function candidate$(
  zk: ZooKeeperSession,
  paths: ClusterPaths,
  self: { readonly node: string; readonly incarnation: number; readonly address: string },
): Observable<ElectionProgress> {
  return defer(() => {
    let candidatePath: string | undefined;
    let leaderPublished = false;
    // Curator's "protected" candidate: a create that timed out may have been applied, so a retry
    // first looks for a candidate carrying this attempt's id instead of adding a second one.
    const tag = randomUUID();
    const join$ = defer(async (): Promise<ElectionProgress> => {
      await zk.mkdirp(paths.election);
      const existing = (await zk.getChildren(paths.election))?.children.find((name) => name.includes(tag));
      candidatePath =
        existing === undefined
          ? await zk.create(`${paths.election}/n_${tag}_`, {
              ephemeral: true,
              sequential: true,
              data: JSON.stringify({ node: self.node, incarnation: self.incarnation }),
            })
          : `${paths.election}/${existing}`;
      return { kind: 'joined', sequence: sequenceOf(candidatePath), path: candidatePath };
    }).pipe(
      retry({
        count: 5,
        delay: (error: unknown, attempt) =>
          isRetryableZkError(error) ? timer(200 * attempt) : throwError(() => error),
      }),
    );
    return join$.pipe(
      switchMap((joined) => {
        if (joined.kind !== 'joined') return EMPTY;
        const own = joined.path.slice(paths.election.length + 1);
        // A dropped connection must not cost the candidacy: wait again, never join again.
        const elected$ = first$(zk, paths, own).pipe(
          retryWhileConnected(),
          switchMap(async (): Promise<ElectionProgress> => {
            // Sequences start at 0; epochs start at 1, above a fresh node's highest epoch seen (0).
            const epoch = joined.sequence + 1;
            const leader: LeaderRecord = { node: self.node, epoch, address: self.address };
            await publishLeaderRetrying(zk, paths, leader);
            leaderPublished = true;
            return { kind: 'elected', epoch };
          }),
        );
        // Leadership lasts until unsubscribed: completing would withdraw the candidacy.
        return concat(of(joined), elected$, NEVER);
      }),
      finalize(() => {
        // Withdraw: best effort, the session's end removes both anyway.
        const path = candidatePath;
        void (async () => {
          if (leaderPublished) await zk.remove(paths.leader).catch(() => undefined);
          if (path !== undefined) await zk.remove(path).catch(() => undefined);
        })();
      }),
    );
  });
}

/** Creates the ephemeral leader znode, replacing one left by our own dead session. */
async function publishLeader(zk: ZooKeeperSession, paths: ClusterPaths, leader: LeaderRecord): Promise<void> {
  const stale = await zk.exists(paths.leader);
  if (stale !== null) await zk.remove(paths.leader, stale.version).catch(() => undefined);
  await zk.create(paths.leader, { ephemeral: true, data: JSON.stringify(leader) });
}

/** Who leads, as the leader znode says, each time it changes (null when nobody does). */
export function leader$(zk: ZooKeeperSession, paths: ClusterPaths): Observable<LeaderRecord | null> {
  return zk.watchData$(paths.leader).pipe(
    map((node) => {
      if (node === null) return null;
      try {
        const parsed = leaderSchema.safeParse(JSON.parse(node.data.toString('utf8')));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    }),
  );
}

/** publishLeader, retried while the connection comes back. */
async function publishLeaderRetrying(
  zk: ZooKeeperSession,
  paths: ClusterPaths,
  leader: LeaderRecord,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await publishLeader(zk, paths, leader);
    } catch (error) {
      if (!isRetryableZkError(error) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
    }
  }
}
