import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_BATCH_BYTES } from '../../../src/infra/log/batch-size.ts';
import { openFileEventLog } from '../../../src/infra/log/file/file-event-log.ts';
import { describeEventLogContract } from './contract.ts';

// One writer per file is the file backend's design: the second client a racing test asks for is
// refused (LOG_LOCKED, tested in file.test.ts), so racers share the one writer here.
describeEventLogContract('file', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'taskd-file-log-'));
  const path = join(directory, 'tasks.log');
  return {
    log: await openFileEventLog({ path }),
    maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
    reopen: () => openFileEventLog({ path }),
    destroy: () => rm(directory, { recursive: true, force: true }),
  };
});
