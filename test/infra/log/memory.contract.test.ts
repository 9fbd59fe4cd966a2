import { createMemoryEventLog } from '../../../src/infra/log/memory/memory-event-log.ts';
import { createMemoryStore } from '../../../src/infra/log/memory/memory-store.ts';
import { describeEventLogContract } from './contract.ts';

const MAX_BATCH_BYTES = 64 * 1024;

describeEventLogContract('memory', async () => {
  const store = createMemoryStore();
  const open = () => createMemoryEventLog({ store, maxBatchBytes: MAX_BATCH_BYTES });
  return {
    log: open(),
    maxBatchBytes: MAX_BATCH_BYTES,
    openSecondWriter: async () => open(),
    reopen: async () => open(),
    destroy: async () => undefined,
  };
});
