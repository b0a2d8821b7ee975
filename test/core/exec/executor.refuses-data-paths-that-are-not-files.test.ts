import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../support/run-pipeline.ts';

const loadCsv = (path: string) => ({ nodes: [{ id: 'load', type: 'data.load_csv', version: 1, params: { path } }] });

// Before the fix /dev/zero was hashed for the cache key for ever (the test timed out), a FIFO
// waited for a writer for ever, and a folder was fingerprinted by its mtime before the node failed.
describe('a data path that is not a regular file is refused before it is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-not-a-file-'));
  const fifo = join(dir, 'fifo.csv');
  spawnSync('mkfifo', [fifo]);
  mkdirSync(join(dir, 'folder.csv'));

  for (const [what, path, kind] of [
    ['a device (/dev/zero)', '/dev/zero', 'a device'],
    ['a pipe (FIFO)', fifo, 'a pipe (FIFO)'],
    ['a folder', join(dir, 'folder.csv'), 'a folder'],
  ] as const) {
    it(`${what}: the node fails with NOT_A_FILE naming the path`, async () => {
      const run = await runPipeline(loadCsv(path), { dir });
      expect(run.status).toBe('error');
      expect(run.node('load').error).toMatchObject({ code: 'NOT_A_FILE', nodeId: 'load', file: path, message: `"${path}" is ${kind}, not a data file.` });
    });
  }
});
