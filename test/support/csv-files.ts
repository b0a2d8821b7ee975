import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadCsv, type CsvOptions } from '../../core/data/csv.ts';
import { fakeContext } from './fake-context.ts';

/** A pipeline folder holding one file `name` with `content`; returns a context rooted there. */
export function withFile(name: string, content: string | Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-csv-'));
  writeFileSync(join(dir, name), content);
  return fakeContext({ pipelineDir: dir, nodeId: 'load' });
}

/** Load CSV on a file of `content`: the table and the context (its logs and warnings). */
export async function loadFile(name: string, content: string | Buffer, o: Partial<CsvOptions> = {}) {
  const ctx = withFile(name, content);
  return { ctx, table: await loadCsv(ctx, { path: name, ...o }) };
}

/** The error Load CSV fails with on a file of `content`; checks that it left no table file. */
export async function loadFailure(name: string, content: string | Buffer, o: Partial<CsvOptions> = {}) {
  const ctx = withFile(name, content);
  const e = await loadCsv(ctx, { path: name, ...o }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected the load to fail').not.toBeNull();
  expect(readdirSync(ctx.outDir), 'a failed load leaves no table file').toEqual([]);
  return e as { code: string; message: string; hint?: string; file?: string; line?: number; column?: string; nodeId?: string };
}
