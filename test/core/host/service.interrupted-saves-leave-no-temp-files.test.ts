import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atomicTempPath } from '../../../core/host/pipeline-file.ts';
import { createService, type FlowlineService } from '../../../core/host/service.ts';
import { chainPipeline, fakeData, HOST_TEST_NODES, tempDir } from './host-fixtures.ts';
import { TOY_TASKS } from '../../support/toy-tasks.ts';

let services: FlowlineService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.dispose()));
  services = [];
});

function makeService(stateDir: string) {
  const s = createService({ nodes: HOST_TEST_NODES, tasks: TOY_TASKS, stateDir, templatesDir: tempDir(), host: 'web', engine: fakeData });
  services.push(s);
  return s;
}

/** The id of a process that has ended (a save it was making was cut short). */
function endedProcessId(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('interrupted saves', () => {
  it('leave no temp file behind: the next start removes those of ended processes, and keeps a live one', async () => {
    const stateDir = tempDir();
    const dir = tempDir();
    const path = join(dir, 'churn.flow.json');
    const first = makeService(stateDir);
    await first.savePipeline(path, chainPipeline());
    await first.autosave('studio', chainPipeline());
    expect(await first.cleanedUp).toEqual([]);

    // Saves cut short by a crash: the temp files they had written, beside the pipeline and in the state folder.
    const ended = endedProcessId();
    mkdirSync(join(stateDir, 'autosave'), { recursive: true });
    const leftovers = [path, join(stateDir, 'recent-files.json'), join(stateDir, 'autosave', 'slot.json')].map((target) => {
      const temp = atomicTempPath(target, ended);
      writeFileSync(temp, '{"half": ');
      return temp;
    });
    // A save in progress in this (live) process is not touched.
    const live = atomicTempPath(path);
    writeFileSync(live, '{"half": ');

    const next = makeService(stateDir);
    expect((await next.cleanedUp).sort()).toEqual([...leftovers].sort());
    for (const temp of leftovers) expect(existsSync(temp)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['churn.flow.json', live.slice(dir.length + 1)].sort());
  });
});
