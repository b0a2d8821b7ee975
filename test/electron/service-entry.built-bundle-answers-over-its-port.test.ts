/**
 * Electron's service process from the build (out/service/index.js), under plain Node: no Electron
 * binary here, so it runs in a worker thread and speaks over the thread's port, as it does over
 * utilityProcess's parent port in the app. It answers calls (errors as values, naming the file),
 * and on `dispose` stops its work, says so, and ends.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { FromService, ToService } from '../../electron/service/channel.ts';

const REPO = resolve(import.meta.dirname, '../..');

describe("Electron's service entry, built", () => {
  it('answers calls over its port and ends after dispose', async () => {
    const build = spawnSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), 'scripts/build.ts', '--only', 'service'], { cwd: REPO, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'flowline-service-'));
    const worker = new Worker(join(REPO, 'out/service/index.js'), { argv: [JSON.stringify({ stateDir: dir, cwd: dir })] });
    const replies = new Map<number, unknown>();
    const done = new Promise<void>((resolveDone, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: FromService) => {
        if (m.type === 'reply') replies.set(m.id, m.reply);
        if (m.type === 'disposed') resolveDone();
      });
    });
    const exited = new Promise<number>((r) => worker.once('exit', r));
    const send = (m: ToService) => worker.postMessage(m);
    send({ type: 'call', id: 1, method: 'hello', args: [] });
    send({ type: 'call', id: 2, method: 'listTemplates', args: [] });
    send({ type: 'call', id: 3, method: 'openPipeline', args: [join(dir, 'missing.flow.json')] });
    send({ type: 'dispose' });
    await done;
    expect(await exited).toBe(0);
    expect(replies.get(1)).toMatchObject({ ok: true, result: { apiVersion: 1, host: 'electron', cwd: dir } });
    expect(replies.get(2)).toMatchObject({ ok: true, result: expect.arrayContaining([expect.objectContaining({ id: 'penguins-species' })]) });
    expect(replies.get(3)).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND', message: expect.stringContaining('missing.flow.json') } });
  }, 60_000);
});
