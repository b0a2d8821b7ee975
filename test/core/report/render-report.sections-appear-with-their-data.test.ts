import { describe, expect, it } from 'vitest';
import { renderRunReport, type ReportInput } from '../../../core/report/index.ts';
import type { MetricsValue } from '../../../core/spec/values.ts';

const base: ReportInput = { title: 'T', flowlineVersion: '9.9.9', generatedAt: '2026-01-01T00:00:00.000Z', sources: [], results: [], explanations: [], exports: [], params: [], data: [] };
const sections = (html: string) => [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
const cv: MetricsValue = { kind: 'metrics', task: 'binary', scope: 'cv', values: { roc_auc: 0.91234 }, std: { roc_auc: 0.0123 }, charts: [{ kind: 'bar', id: 'folds', title: 'AUC per fold', categories: ['1', '2'], series: [{ name: 'auc', values: [0.9, 0.92] }] }], tables: [] };

describe('run report sections', async () => {
  it('shows only the sections it has data for', async () => {
    expect(sections(await renderRunReport(base))).toEqual(['summary']);
    const html = await renderRunReport({ ...base, results: [{ nodeId: 'cv', label: 'cv (Cross-validate)', value: cv }] });
    expect(sections(html)).toEqual(['summary', 'validation']);
    // Figures with their spread across folds, and the chart drawn as SVG bars.
    expect(html).toContain('0.9123<span class="figure__std"> ± 0.0123</span>');
    expect(html.match(/<rect [^>]*fill="#2f7fd8"/g)).toHaveLength(2);
  });

  it("an exported model shows its verification, small differences in plain exponent form", async () => {
    const verification = { passed: true, target: 'default' as const, rows: 472, heldOutRows: 171, rowSource: "held-out rows from 'split'", missingRows: 301, unseenRows: 0, labelsAgree: 472, maxAbsDiff: 1.388e-17, maxRelDiff: 1.936e-16, tolerance: 1e-6, bitIdentical: false, inexactOps: ['Exp'], worst: null, onnxMs: 1, onnxLoadMs: 1, appMs: 1 };
    const html = await renderRunReport({ ...base, exports: [{ nodeId: 'export', label: 'export (Export ONNX)', path: '/p/model.onnx', format: 'onnx', verification }] });
    expect(sections(html)).toEqual(['summary', 'export']);
    expect(html).toContain('<span class="pass">passed</span>');
    expect(html).toContain('1.388e-17 absolute, 1.936e-16 relative (tolerance 1e-6)');
    expect(html).toContain('472 of 472');
  });

  it('a failed run says which node failed and why', async () => {
    const html = await renderRunReport({ ...base, run: { status: 'error', durationMs: 1500, nodes: [{ id: 'train', type: 'ml.train', status: 'error', durationMs: 3, error: 'Column "price" not found' }] } });
    expect(html).toContain('<span class="status status--error">error</span>');
    expect(html).toMatch(/<td>train<\/td><td>Column &quot;price&quot; not found<\/td>/);
    expect(html).toContain('<dt>duration</dt><dd>1.5 s</dd>');
  });

  it('text from the pipeline is escaped, never markup', async () => {
    const html = await renderRunReport({
      ...base,
      title: '<script>alert(1)</script>',
      diagram: { nodes: [{ id: 'a"><img src=x>', title: '<b>x</b>', category: 'Sources' }], edges: [], notes: [{ text: '<iframe>', x: 0, y: 0 }] },
    });
    expect(html).not.toMatch(/<script|<img|<iframe|<b>x/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a node without a saved position is placed after the ones with one, never at NaN', async () => {
    const html = await renderRunReport({
      ...base,
      diagram: { nodes: [{ id: 'a', title: 'A', category: 'Sources', x: 0, y: 0 }, { id: 'b', title: 'B', category: 'Clean' }], edges: [{ from: 'a', to: 'b' }], notes: [] },
    });
    expect(html).not.toContain('NaN');
    expect(html).toMatch(/data-node="b"><rect x="280" y="\d+"/);
  });
});
