/**
 * The studio and `flowline run` share one run session (core/host/run-session.ts): a pipeline run
 * in the studio and then from the command line finds every node in the same cache.
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { createService } from '../../../core/host/service.ts';
import { cacheDirFor } from '../../../core/host/run-session.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';
import { waitForRunEnd } from './host-fixtures.ts';

const TEMPLATES = new URL('../../../templates/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'flowline-session-'));
cpSync(TEMPLATES, join(work, 'project'), { recursive: true });
const file = join(work, 'project', 'penguins-species.flow.json');
const stateDir = join(work, 'state');
const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir, templatesDir: join(work, 'none'), host: 'web', cwd: work });
afterAll(() => service.dispose());

describe('one run session for the studio and the CLI', () => {
  it('a CLI run after a studio run of the same file reports every node cached', async () => {
    const opened = await service.openPipeline(file);
    const started: { runId?: string } = {};
    const ended = waitForRunEnd((l) => service.onEvent(l), () => started.runId, 120_000);
    started.runId = (await service.run({ pipeline: opened.pipeline, path: file })).runId;
    const events = await ended;
    const studio = events.find((e) => e.type === 'run:end');
    expect(studio?.type === 'run:end' && studio.summary.status).toBe('done');
    expect(events.filter((e) => e.type === 'node:done')).toHaveLength(opened.pipeline.nodes.length);

    const { io, out } = captureIo();
    const code = await main(['run', file, '--json'], { nodes: NODES, tasks: WORKER_TASKS }, io);
    expect(code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as { nodes: { id: string; status: string }[]; metrics: Record<string, Record<string, number>> };
    expect(report.nodes.map((n) => `${n.id}:${n.status}`)).toEqual(opened.pipeline.nodes.map((n) => `${n.id}:cached`));
    expect(report.metrics.evaluate.accuracy).toBeGreaterThan(0.9);
  }, 180_000);

  it('keeps the cache beside a pipeline file, and in the state folder for unsaved work', () => {
    expect(cacheDirFor(file, stateDir)).toBe(join(work, 'project', '.flowline', 'cache'));
    expect(existsSync(join(work, 'project', '.flowline', 'cache'))).toBe(true);
    expect(cacheDirFor(undefined, stateDir)).toBe(join(stateDir, 'cache'));
  });
});
