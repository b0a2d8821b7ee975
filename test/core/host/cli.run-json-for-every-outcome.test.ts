import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { captureIo } from '../../support/capture-io.ts';
import { TOY_NODES } from '../../support/toy-nodes.ts';
import { TOY_TASKS } from '../../support/toy-tasks.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowline-cli-json-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const pipeline = (params: Record<string, unknown> = { value: 2 }) =>
  JSON.stringify({ format: 'flowline.pipeline', version: 1, name: 't', nodes: [{ id: 'one', type: 'toy.constant', version: 1, params }], edges: [] });
/** A pipeline whose param nests `depth` objects deep (as text: JSON.stringify itself overflows past ~5,000). */
const deepPipeline = (depth: number) => pipeline({ value: '__DEEP__' }).replace('"__DEEP__"', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

async function runJson(...argv: string[]) {
  const { io, out } = captureIo();
  const code = await main(['run', '--json', ...argv], { nodes: TOY_NODES, tasks: TOY_TASKS }, io);
  return { code, stdout: out.stdout, stderr: out.stderr };
}

describe('flowline run --json prints one JSON object on stdout, whatever happens', () => {
  const cases: [string, () => string[], number, string, RegExp][] = [
    ['a file that is not JSON', () => [write('not-json.flow.json', 'hello')], 2, 'PIPELINE_NOT_JSON', /not valid JSON/],
    ['JSON that is not a pipeline', () => [write('not-pipeline.flow.json', '{"a": 1}')], 2, 'PIPELINE_INVALID', /not a Flowline pipeline/],
    ['a file that does not exist', () => [join(dir, 'missing.flow.json')], 2, 'FILE_NOT_FOUND', /There is no pipeline file/],
    ['a device instead of a file', () => ['/dev/zero'], 2, 'NOT_A_FILE', /not a regular file/],
    ['an unknown option', () => [write('ok.flow.json', pipeline()), '--bogus'], 2, 'BAD_ARGUMENTS', /Unknown option '--bogus'/],
    ['no pipeline file', () => [], 2, 'BAD_ARGUMENTS', /exactly one pipeline file/],
    ['two pipeline files', () => ['a.flow.json', 'b.flow.json'], 2, 'BAD_ARGUMENTS', /exactly one pipeline file \(got 2\)/],
    ['a bad --set', () => [write('ok2.flow.json', pipeline()), '--set', 'nonsense'], 2, 'BAD_SET', /node\.param=value/],
    ['params nested past the depth limit', () => [write('deep.flow.json', deepPipeline(100_000))], 2, 'PIPELINE_INVALID', /param "value" is nested more than 32 levels deep/],
  ];
  for (const [what, args, exit, code, message] of cases) {
    it(`${what}: status "invalid", exit ${exit}, the error's code and message`, async () => {
      const r = await runJson(...args());
      expect(r.code).toBe(exit);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      const report = JSON.parse(r.stdout) as { status: string; diagnostics: { code: string; message: string }[] };
      expect(report.status).toBe('invalid');
      expect(report.diagnostics[0].code).toBe(code);
      expect(report.diagnostics[0].message).toMatch(message);
    });
  }

  it('a pipeline file that starts with a UTF-8 byte order mark is read and runs', async () => {
    const r = await runJson(write('bom.flow.json', `\uFEFF${pipeline()}`));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'done', metrics: { one: { v: 2 } } });
  });

  it('without --json the same errors are one readable line with their message, never "undefined"', async () => {
    const { io, out } = captureIo();
    expect(await main(['run', write('ok3.flow.json', pipeline()), '--bogus'], { nodes: TOY_NODES, tasks: TOY_TASKS }, io)).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/✗ \[BAD_ARGUMENTS\] Unknown option '--bogus'/);
    expect(out.stderr).not.toMatch(/undefined/);
  });
});
