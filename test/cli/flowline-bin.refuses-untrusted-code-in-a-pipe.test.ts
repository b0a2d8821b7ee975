/**
 * The real `flowline` command in a pipe (no terminal to ask on), on a pipeline file from elsewhere
 * whose Code node would run: it is refused with exit code 2 and what it would do, and nothing of
 * the code runs; `--trust` runs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin', 'flowline.js');

describe('flowline run in a pipe', () => {
  it('refuses a file it has not seen that runs code, with exit 2 and the list; --trust runs it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-bin-trust-'));
    writeFileSync(join(dir, 'data.csv'), 'x\n1\n2\n');
    const marker = join(dir, 'code-ran.txt');
    const code = `(df, dfd) => df`;
    const file = join(dir, 'sent.flow.json');
    writeFileSync(file, JSON.stringify({
      format: 'flowline.pipeline',
      version: 1,
      name: 'sent',
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data.csv' } },
        { id: 'code', type: 'prep.code', version: 1, params: { code } },
        { id: 'save', type: 'data.write_csv', version: 1, params: { path: marker } },
      ],
      edges: [{ from: 'load.table', to: 'code.table' }, { from: 'code.table', to: 'save.table' }],
    }));
    const env = { ...process.env, FLOWLINE_STATE_DIR: join(dir, 'state'), FLOWLINE_BUNDLE_DIR: join(REPO, 'node_modules', '.cache', 'flowline') };
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'run', file, ...args], { cwd: dir, encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'pipe'] });

    const refused = run();
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('node "code" (Run Code) runs JavaScript code: "(df, dfd) => df"');
    expect(refused.stderr).toContain('--trust');
    expect(existsSync(marker)).toBe(false);

    const trusted = run('--trust', '--json');
    expect(trusted.status, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout).status).toBe('done');
    expect(existsSync(marker)).toBe(true);
  });
});
