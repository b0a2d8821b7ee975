import { describe, expect, it } from 'vitest';
import { readColumns } from '../../core/data/tables.ts';
import type { ChartSpec, ExplanationValue, TableRef } from '../../core/spec/index.ts';
import { runPipeline } from '../support/run-pipeline.ts';
import { COLOURS, EXPLAIN_FRONT, EXPLAIN_TEST_NODES } from './explain-test-nodes.ts';

const FEATURES = ['x1', 'x2', ...COLOURS.map((c) => `colour_${c}`), 'noise'];

const pipeline = (train: Record<string, unknown>, explain: Record<string, unknown> = {}, extra: { nodes?: object[]; edges?: object[]; explainTable?: string } = {}) => ({
  seed: 7,
  nodes: [
    ...EXPLAIN_FRONT.nodes,
    { id: 'train', type: 'ml.train', version: 1, params: { target: 'label', learner: 'random_forest', learner_params: { n_estimators: 20, max_depth: 5 }, features: FEATURES, ...train } },
    { id: 'explain', type: 'ml.explain', version: 1, params: explain },
    ...((extra.nodes ?? []) as never[]),
  ],
  edges: [
    ...EXPLAIN_FRONT.edges,
    { from: 'split.train', to: 'train.table' },
    { from: 'train.model', to: 'explain.model' },
    { from: extra.explainTable ?? 'split.test', to: 'explain.table' },
    ...((extra.edges ?? []) as never[]),
  ],
});

function errorsOf(run: Awaited<ReturnType<typeof runPipeline>>) {
  return run.nodes.filter((n) => n.error).map((n) => ({ id: n.id, ...n.error! }));
}

describe('ml.explain, headless', () => {
  it('sums a one-hot encoded 4-category column back into one attribution, and the waterfall names its category', async () => {
    const run = await runPipeline(pipeline({}), { nodes: EXPLAIN_TEST_NODES });
    expect(errorsOf(run)).toEqual([]);
    const e = run.output<ExplanationValue>('explain', 'explanation');
    const d = e.detail!;
    expect(d.methodTitle).toMatch(/TreeSHAP/);
    expect(d.scale).toBe('probability');
    expect(d.rows).toHaveLength(50);
    const raw = d.views.raw!;
    const eng = d.views.engineered!;
    expect([...raw.terms].sort()).toEqual(['colour', 'noise', 'x1', 'x2']);
    expect(eng.terms.filter((t) => t.startsWith('colour_')).sort()).toEqual(COLOURS.map((c) => `colour_${c}`).sort());
    const c = raw.terms.indexOf('colour');
    const oneHot = eng.terms.flatMap((t, i) => (t.startsWith('colour_') ? [i] : []));
    for (let r = 0; r < 50; r++) {
      const sum = oneHot.reduce((s, i) => s + eng.attributions[0][i][r], 0);
      expect(Math.abs(raw.attributions[0][c][r] - sum)).toBeLessThan(1e-12);
      expect(COLOURS).toContain(raw.values[c][r]);
    }
    // raw values are unscaled: x1's shown values are the rows' own
    const x1 = raw.values[raw.terms.indexOf('x1')] as number[];
    expect(Math.max(...x1)).toBeGreaterThan(3);
    const waterfall = e.charts.find((ch) => ch.kind === 'waterfall') as Extract<ChartSpec, { kind: 'waterfall' }>;
    const colourStep = waterfall.steps.find((s) => s.label.startsWith('colour = '))!;
    expect(COLOURS).toContain(colourStep.label.slice('colour = '.length));
    expect(waterfall.scale).toBe('probability');
    expect(Math.abs(waterfall.base + waterfall.steps.reduce((s, x) => s + x.value, 0) - waterfall.output)).toBeLessThan(1e-9);

    // the attribution table: one row per explained row and raw column, joinable on `row`
    const table = run.output<TableRef>('explain', 'attributions');
    expect(table.columns.map((col) => col.name)).toEqual(['row', 'column', 'raw_value', 'attribution', 'base_value']);
    expect(table.rowCount).toBe(50 * 4);
    const cols = await readColumns(table, ['row', 'column', 'raw_value', 'attribution']);
    const colourRows = (cols.columns.column as string[]).flatMap((name, i) => (name === 'colour' ? [i] : []));
    expect(colourRows).toHaveLength(50);
    for (const i of colourRows) expect(COLOURS).toContain((cols.columns.raw_value as string[])[i]);
    expect(e.charts.map((ch) => ch.id)).toEqual(['mean_abs_shap', 'beeswarm', 'permutation_importance', 'waterfall', 'dependence', 'pdp']);
  });

  it('gives permutation importance exactly 0 to a column the model never uses', async () => {
    const run = await runPipeline(pipeline({ learner: 'decision_tree', learner_params: { max_depth: 1 } }, { permutation_repeats: 4 }), { nodes: EXPLAIN_TEST_NODES });
    expect(errorsOf(run)).toEqual([]);
    const p = run.output<ExplanationValue>('explain', 'explanation').detail!.permutation!;
    expect(p.metric).toBe('accuracy');
    expect([...p.columns].sort()).toEqual(['colour', 'noise', 'x1', 'x2']);
    // a depth-1 tree splits on one column; every other column's shuffles change nothing
    const used = p.mean.filter((m) => m !== 0);
    expect(used.length).toBeLessThanOrEqual(1);
    expect(p.mean[p.columns.indexOf('noise')]).toBe(0);
    expect(p.std[p.columns.indexOf('noise')]).toBe(0);
  });

  it('names the missing column when the rows lack one the model reads', async () => {
    const run = await runPipeline(
      // rows without x2 (and no recipe to read it back from)
      pipeline({}, {}, { nodes: [{ id: 'drop', type: 'data.select_columns', version: 1, params: { columns: ['x1', 'colour', 'noise', 'label'] } }], edges: [{ from: 'rows.table', to: 'drop.table' }], explainTable: 'drop.table' }),
      { nodes: EXPLAIN_TEST_NODES },
    );
    const err = errorsOf(run).find((x) => x.id === 'explain')!;
    expect(err.code).toBe('COLUMN_NOT_FOUND');
    expect(err.column).toBe('x2');
    expect(err.message).toMatch(/"x2"/);
  });

  it('asked for TreeSHAP on a linear model, says which method applies', async () => {
    const run = await runPipeline(pipeline({ learner: 'logistic_regression', learner_params: {} }, { method: 'tree' }), { nodes: EXPLAIN_TEST_NODES });
    const err = errorsOf(run).find((x) => x.id === 'explain')!;
    expect(err.code).toBe('INVALID_PARAM');
    expect(err.message).toMatch(/TreeSHAP needs a tree model/);
    expect(err.message).toMatch(/Logistic regression/);
    expect(err.hint).toMatch(/"linear"/);
  });

  it('past the rows cap, explains a seeded sample and says what was sampled', async () => {
    const run = await runPipeline(pipeline({}, { rows_cap: 20 }), { nodes: EXPLAIN_TEST_NODES });
    expect(errorsOf(run)).toEqual([]);
    const d = run.output<ExplanationValue>('explain', 'explanation').detail!;
    expect(d.rows).toHaveLength(20);
    expect(new Set(d.rows).size).toBe(20);
    expect(d.rows.every((id) => id >= 150)).toBe(true);
    expect(d.notes.join(' ')).toMatch(/seeded sample of 20 of 50 rows \(rows cap 20, seed \d+\)/);
    const logs = run.events.filter((ev) => ev.type === 'node:log' && ev.nodeId === 'explain').map((ev) => (ev as { message: string }).message);
    expect(logs.join(' ')).toMatch(/seeded sample of 20 of 50 rows/);
  });
});
