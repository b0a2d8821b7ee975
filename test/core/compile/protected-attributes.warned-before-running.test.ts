/**
 * Fairness before running (docs/lifecycle.md, "Fairness"): a feature that looks like a protected
 * attribute is a warning naming the node and the column, in `flowline validate --json`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protectedAttributeOf } from '../../../core/compile/protected-attributes.ts';
import { main } from '../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

describe('protected attributes among the features', () => {
  it('recognises the protected attributes by whole words, not inside other words', () => {
    const hits = ['sex', 'Gender', 'applicant_race', 'ethnicity', 'religion', 'age', 'age_group', 'AgeYears', 'disability_status', 'marital_status', 'nationality', 'date_of_birth', 'sex_male'];
    expect(hits.map(protectedAttributeOf)).toEqual(['sex', 'sex', 'race', 'ethnicity', 'religion', 'age', 'age', 'age', 'disability', 'marital status', 'nationality', 'age', 'sex']);
    const misses = ['page_views', 'stage', 'usage', 'average', 'income', 'raceway_km', 'message', 'sextant'];
    expect(misses.map(protectedAttributeOf)).toEqual(misses.map(() => null));
  });

  it('flowline validate --json warns about each protected-looking feature, naming node and column; an explicit features list without them is clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-fairness-'));
    writeFileSync(join(dir, 'loans.csv'), 'income,gender,age,page_views,approved\n30,f,41,3,yes\n50,m,35,9,no\n42,f,29,4,yes\n');
    const pipeline = (features?: string[]) => ({
      format: 'flowline.pipeline',
      version: 1,
      name: 'loans',
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'loans.csv' } },
        { id: 'train', type: 'ml.train', version: 1, params: { target: 'approved', learner: 'logistic_regression', ...(features ? { features } : {}) } },
      ],
      edges: [{ from: 'load.table', to: 'train.table' }],
    });
    const validate = async (p: object) => {
      writeFileSync(join(dir, 'loans.flow.json'), JSON.stringify(p));
      const { io, out } = captureIo();
      const code = await main(['validate', join(dir, 'loans.flow.json'), '--json'], { nodes: NODES, tasks: WORKER_TASKS }, io);
      return { code, report: JSON.parse(out.stdout) as { valid: boolean; diagnostics: { severity: string; code: string; nodeId?: string; message: string }[] } };
    };
    const all = await validate(pipeline());
    expect(all.code).toBe(0);
    expect(all.report.valid).toBe(true);
    const warnings = all.report.diagnostics.filter((d) => d.code === 'PROTECTED_ATTRIBUTE');
    expect(warnings.map((d) => [d.severity, d.nodeId, /Feature "(\w+)"/.exec(d.message)?.[1]])).toEqual([
      ['warning', 'train', 'gender'],
      ['warning', 'train', 'age'],
    ]);
    expect(warnings[0].message).toContain('protected attribute (sex)');

    const chosen = await validate(pipeline(['income', 'page_views']));
    expect(chosen.report.diagnostics.filter((d) => d.code === 'PROTECTED_ATTRIBUTE')).toEqual([]);
  });
});
