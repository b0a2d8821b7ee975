import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../core/compile/index.ts';
import { pageOf, profileOf } from '../../core/data/profile.ts';
import { execute } from '../../core/exec/index.ts';
import { parsePipeline } from '../../core/schema/index.ts';
import type { TableRef } from '../../core/spec/values.ts';
import { NODES } from '../../nodes/index.ts';

const dir = new URL('../../templates/', import.meta.url).pathname;
const templates = readdirSync(dir).filter((f) => f.endsWith('.flow.json'));

describe('every template', () => {
  it('there are templates to test', () => {
    expect(templates.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of templates) {
    it(`${name} runs headless, and every table it makes previews with a profile`, async () => {
      const pipeline = parsePipeline(readFileSync(join(dir, name), 'utf8'), name);
      const { plan, diagnostics } = compile(pipeline, NODES);
      expect(diagnostics).toEqual([]);
      const summary = await execute(plan!, { cacheDir: mkdtempSync(join(tmpdir(), 'flowline-tpl-')), pipelineDir: dir, tasks: WORKER_TASKS });
      expect(summary.nodes.filter((n) => n.status !== 'done').map((n) => `${n.id}: ${n.error?.message}`)).toEqual([]);
      let tables = 0;
      for (const node of summary.nodes) {
        for (const value of Object.values(node.outputs ?? {})) {
          if (value.kind !== 'table') continue;
          const table = value as TableRef;
          const page = await pageOf(table, 0, 20);
          expect(page.totalRows).toBe(table.rowCount);
          expect(page.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
          const profile = await profileOf(table);
          expect(profile.map((p) => p.name)).toEqual(table.columns.map((c) => c.name));
          tables++;
        }
      }
      expect(tables).toBeGreaterThan(3);
      // the score each reaches is checked through the CLI: templates.reach-their-threshold.test.ts
    });
  }
});
