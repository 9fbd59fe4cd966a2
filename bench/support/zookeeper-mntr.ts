/** ZooKeeper's `mntr` figures, for the probes that say what a load cost the ensemble. */
import { fourLetterWord } from '../../src/infra/zookeeper-server/four-letter-word.ts';

/**
 * The numeric `mntr` figures of every server of `connectString`, summed (a figure only the leader
 * keeps, such as zk_proposal_count, is then the leader's).
 */
export async function mntrSums(connectString: string): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const server of connectString.split(',')) {
    const [host = '', port = ''] = server.split(':');
    for (const line of (await fourLetterWord(host, Number(port), 'mntr')).split('\n')) {
      const [key, value] = line.split('\t');
      if (key !== undefined && value !== undefined && /^\d+$/.test(value))
        sums[key] = (sums[key] ?? 0) + Number(value);
    }
  }
  return sums;
}
