import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type FlowlineService } from '../../../core/host/service.ts';
import { chainPipeline, fakeData, HOST_TEST_NODES, tempDir } from './host-fixtures.ts';
import { TOY_TASKS } from '../../support/toy-tasks.ts';

let services: FlowlineService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.dispose()));
  services = [];
});

function makeService(cwd = tempDir()) {
  const s = createService({ nodes: HOST_TEST_NODES, tasks: TOY_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web', engine: fakeData, cwd });
  services.push(s);
  return s;
}

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as Error & { code: string; file?: string });

describe('the file API works only in the places a user works', () => {
  it('refuses to open /etc/passwd by name, and its contents never appear in the error', async () => {
    const e = await failure(makeService().openPipeline('/etc/passwd'));
    expect(e).toMatchObject({ code: 'PATH_NOT_ALLOWED', file: '/etc/passwd' });
    expect(e.message).toMatch(/^Cannot open \/etc\/passwd: .*outside/);
    expect(JSON.stringify(e)).not.toMatch(/root:|:0:0:/);
  });

  it('reports a file that is not JSON without quoting a byte of it', async () => {
    const dir = tempDir();
    const file = join(dir, 'keys.flow.json');
    writeFileSync(file, 'AKIA-SECRET-TOKEN-1234:hunter2\nsecond line\n');
    const e = await failure(makeService().openPipeline(file));
    expect(e.code).toBe('PIPELINE_NOT_JSON');
    expect(e.message).toMatch(/not valid JSON/);
    expect(JSON.stringify(e)).not.toMatch(/AKIA|SECRET|hunter2|second line/);
    writeFileSync(file, '{"name": supersecretvalue}');
    expect(JSON.stringify(await failure(makeService().openPipeline(file)))).not.toMatch(/supersecret/);
  });

  it('lists and saves inside home, the studio folder and temp; refuses /etc and a symlink out of them', async () => {
    const cwd = tempDir();
    const service = makeService(cwd);
    expect((await service.listDirectory(homedir())).path).toBe(homedir());
    expect((await service.listDirectory(cwd)).path).toBe(cwd);
    await expect(service.listDirectory('/etc')).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    await expect(service.savePipeline('/etc/flowline-test.flow.json', chainPipeline())).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    expect(existsSync('/etc/flowline-test.flow.json')).toBe(false);
    symlinkSync('/etc', join(cwd, 'etc-link'));
    await expect(service.openPipeline(join(cwd, 'etc-link', 'passwd'))).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    await expect(service.listDirectory(join(cwd, 'etc-link'))).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    await expect(service.savePipeline(join(cwd, 'etc-link', 'x.flow.json'), chainPipeline())).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    expect((await service.savePipeline(join(cwd, 'new', 'mine.flow.json'), chainPipeline())).path).toBe(join(cwd, 'new', 'mine.flow.json'));
  });

  it('never saves a pipeline over a file that is not one (a .bashrc), which is left as it was', async () => {
    const cwd = tempDir();
    const rc = join(cwd, '.bashrc');
    writeFileSync(rc, 'export PATH=$PATH\n');
    await expect(makeService(cwd).savePipeline(rc, chainPipeline())).rejects.toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/\.flow\.json/) });
    expect(readFileSync(rc, 'utf8')).toBe('export PATH=$PATH\n');
  });
});
