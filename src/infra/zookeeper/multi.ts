/**
 * Atomic multi-operations on top of the library's Transaction, with typed results and errors that
 * name the failing operation.
 *
 * Transaction.check/setData/remove in 1.1.3 start with `version = version || -1`, which turns
 * version 0 into -1 ("any version"): a guard on the first version of a znode would always pass.
 * The version is written into the queued op afterwards to close that gap.
 */
import type zookeeper from 'node-zookeeper-client';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { type Acl, OPEN_ACL, toLibraryAcls } from './acl.ts';
import { createModeOf } from './create-mode.ts';
import { toBuffer, toZkStat } from './stat.ts';
import type { MultiOp, MultiResult } from './types.ts';
import { translateZkError } from './zk-errors.ts';

/** Wire codes of the operations in a multi reply (ZooKeeper's OpCode). */
const OP = { CREATE: 1, DELETE: 2, SET_DATA: 5, CHECK: 13, ERROR: -1 } as const;

interface RawResult {
  readonly type: number;
  readonly path?: string;
  readonly stat?: zookeeper.Stat;
  readonly err?: number;
}

/** Fills `transaction` with `ops`. */
export function buildTransaction(
  transaction: zookeeper.Transaction,
  ops: readonly MultiOp[],
  defaultAcl: readonly Acl[] = OPEN_ACL,
): void {
  const queued = (transaction as unknown as { ops: Array<{ version?: number }> }).ops;
  const pinVersion = (version: number) => {
    queued[queued.length - 1]!.version = version;
  };
  for (const op of ops) {
    switch (op.op) {
      case 'create': {
        const acl = toLibraryAcls(op.acl ?? defaultAcl);
        const data = toBuffer(op.data);
        const mode = createModeOf(op);
        if (data === undefined) transaction.create(op.path, acl, mode);
        else transaction.create(op.path, data, acl, mode);
        break;
      }
      case 'setData':
        transaction.setData(op.path, toBuffer(op.data)!, op.version ?? -1);
        pinVersion(op.version ?? -1);
        break;
      case 'remove':
        transaction.remove(op.path, op.version ?? -1);
        pinVersion(op.version ?? -1);
        break;
      case 'check':
        transaction.check(op.path, op.version);
        pinVersion(op.version);
        break;
      default: {
        const exhaustive: never = op;
        throw new Error(`unknown multi op ${JSON.stringify(exhaustive)}`);
      }
    }
  }
}

/**
 * The typed results of a committed multi, or the error of its failing operation: ZooKeeper answers
 * a failed multi with one error result per op (0 before the culprit, the culprit's code, then
 * RUNTIME_INCONSISTENCY), so the first non-zero one names the op at fault.
 */
export function interpretMulti(
  ops: readonly MultiOp[],
  error: unknown,
  results: readonly RawResult[] | undefined,
): MultiResult[] {
  const failedAt = results?.findIndex((r) => r.type === OP.ERROR && r.err !== 0) ?? -1;
  if (error || failedAt >= 0) {
    const culprit = ops[failedAt];
    throw translateZkError(error, {
      op: 'multi',
      ...(culprit ? { path: culprit.path, index: failedAt, failedOp: culprit.op } : {}),
    });
  }
  if (!results || results.length !== ops.length) {
    throw new TaskdError(
      ErrorCodes.ZK_PROTOCOL,
      `multi: ${results?.length ?? 0} results for ${ops.length} ops`,
      {
        op: 'multi',
      },
    );
  }
  return results.map((result, index): MultiResult => {
    switch (result.type) {
      case OP.CREATE:
        return { op: 'create', path: result.path ?? ops[index]!.path };
      case OP.SET_DATA:
        return { op: 'setData', stat: toZkStat(result.stat!) };
      case OP.DELETE:
        return { op: 'remove' };
      case OP.CHECK:
        return { op: 'check' };
      default:
        throw new TaskdError(ErrorCodes.ZK_PROTOCOL, `multi: unexpected result type ${result.type}`, {
          op: 'multi',
        });
    }
  });
}
