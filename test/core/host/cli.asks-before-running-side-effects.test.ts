import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { StateStore } from '../../../core/host/service/state.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

const PEOPLE = resolve(import.meta.dirname, '../../fixtures/data/people.csv');
const previousStateDir = process.env.FLOWLINE_STATE_DIR;
afterAll(() => {
  if (previousStateDir === undefined) delete process.env.FLOWLINE_STATE_DIR;
  else process.env.FLOWLINE_STATE_DIR = previousStateDir;
});

let dir: string;
let stateDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowline-cli-trust-'));
  copyFileSync(PEOPLE, join(dir, 'people.csv'));
  // The CLI shares the studio's trust store: a fresh one per test.
  stateDir = mkdtempSync(join(tmpdir(), 'flowline-cli-state-'));
  process.env.FLOWLINE_STATE_DIR = stateDir;
});

/** A pipeline file someone sent: people.csv → Write CSV to `target`. */
function sentFile(target: string): string {
  const path = join(dir, 'sent.flow.json');
  writeFileSync(path, JSON.stringify({
    format: 'flowline.pipeline',
    version: 1,
    name: 'sent',
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'people.csv' } },
      { id: 'save', type: 'data.write_csv', version: 1, params: { path: target } },
    ],
    edges: [{ from: 'load.table', to: 'save.table' }],
  }));
  return path;
}

async function cli(argv: string[], answer?: string) {
  const { io, out } = captureIo();
  const questions: string[] = [];
  const ask = answer === undefined ? undefined : async (q: string) => (questions.push(q), answer);
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, { ...io, ask });
  return { code, questions, ...out };
}

const outsideTarget = () => join(mkdtempSync(join(tmpdir(), 'flowline-elsewhere-')), 'out.csv');

describe('flowline run asks before a file it has not seen runs code, queries or writes outside its folder', () => {
  it('without a terminal, refuses with exit 2 and the list of what it would do; nothing is written', async () => {
    const target = outsideTarget();
    const file = sentFile(target);
    const human = await cli(['run', file]);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('[NOT_TRUSTED]');
    expect(human.stderr).toContain(`node "save" (Write CSV) writes ${target}, outside the pipeline's folder`);
    expect(human.stderr).toContain('--trust');
    const json = await cli(['run', file, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'not_trusted',
      error: { code: 'NOT_TRUSTED', file },
      sideEffects: [{ nodeId: 'save', kind: 'write', what: `node "save" (Write CSV) writes ${target}, outside the pipeline's folder` }],
    });
    expect(existsSync(target)).toBe(false);
  });

  it('--trust or --yes runs it', async () => {
    const target = outsideTarget();
    const file = sentFile(target);
    expect((await cli(['run', file, '--trust'])).code).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect((await cli(['run', sentFile(outsideTarget()), '--yes', '--json'])).code).toBe(0);
  });

  it('on a terminal it says what it would do and asks; no runs nothing, yes runs and is remembered', async () => {
    const target = outsideTarget();
    const file = sentFile(target);
    const no = await cli(['run', file], 'n');
    expect(no.questions).toEqual(['Run it? [y/N] ']);
    expect(no.stderr).toContain(`writes ${target}`);
    expect(no.code).toBe(2);
    expect(existsSync(target)).toBe(false);
    const yes = await cli(['run', file], 'y');
    expect(yes.code).toBe(0);
    expect(existsSync(target)).toBe(true);
    const again = await cli(['run', file]);
    expect(again.code).toBe(0);
  });

  it('writes inside its folder need no trust, nor does what --set sets, nor a file the studio trusted', async () => {
    expect((await cli(['run', sentFile('out/people.csv')])).code).toBe(0);
    expect(existsSync(join(dir, 'out', 'people.csv'))).toBe(true);
    const mine = outsideTarget();
    expect((await cli(['run', sentFile('local.csv'), '--set', `save.path=${mine}`])).code).toBe(0);
    expect(existsSync(mine)).toBe(true);
    const file = sentFile(outsideTarget());
    await new StateStore(stateDir).trust(file, readFileSync(file, 'utf8'));
    expect((await cli(['run', file])).code).toBe(0);
  });
});
