/** Applies one fault of a schedule and heals it; the record says what happened. */

import { fillJournalDisk } from './disk-faults.ts';
import type { FaultContext } from './fault-context.ts';
import type { Fault, FaultRecord } from './fault-kinds.ts';
import { addLoopbackLatency, cutNodeLink } from './network-faults.ts';
import {
  damageNodeJournal,
  expireNode,
  killNode,
  pauseLeaderBriefly,
  pauseLeaderPastTimeout,
} from './node-faults.ts';
import { isolateServerOfNode, loseQuorum, pauseZooKeeperServer, rollingRestart } from './zookeeper-faults.ts';

/** Runs `fault` to its heal. */
export function applyFault(context: FaultContext, fault: Fault): Promise<FaultRecord> {
  switch (fault.kind) {
    case 'kill-leader':
    case 'kill-runner':
      return killNode(context, fault);
    case 'pause-leader':
      return pauseLeaderPastTimeout(context, fault);
    case 'pause-leader-briefly':
      return pauseLeaderBriefly(context, fault);
    case 'expire-node':
      return expireNode(context, fault);
    case 'damage-journal':
      return damageNodeJournal(context, fault);
    case 'pause-zk-server':
      return pauseZooKeeperServer(context, fault);
    case 'isolate-zk-of-node':
      return isolateServerOfNode(context, fault);
    case 'rolling-restart':
      return rollingRestart(context, fault);
    case 'quorum-loss':
      return loseQuorum(context, fault);
    case 'cut-node-link':
      return cutNodeLink(context, fault);
    case 'loopback-latency':
      return addLoopbackLatency(context, fault);
    case 'journal-disk-full':
      return fillJournalDisk(context, fault);
  }
}
