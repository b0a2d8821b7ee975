/**
 * The model card written beside an exported model (docs/lifecycle.md, "Model card"), for the
 * credit-risk template with Evaluate grouped by sex and an Explain node: its written fields, the
 * run's lineage (run id and pipeline hash as the run log has them, the data file's sha256), and
 * numbers equal to the run's own report.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardNumber } from '../../../../core/spec/model-card.ts';
import { readModelInfo } from '../../../../core/export/onnx/score.ts';
import type { NumericReference } from '../../../../core/spec/drift.ts';
import { cli, INTENDED_USE, LIMITATIONS, runCreditCardPipeline } from '../../../support/model-card-pipeline.ts';

let dir: string;
let md: string;
let html: string;
let report: Awaited<ReturnType<typeof runCreditCardPipeline>>['report'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowline-card-'));
  ({ report } = await runCreditCardPipeline(dir));
  md = readFileSync(join(dir, 'credit.card.md'), 'utf8');
  html = readFileSync(join(dir, 'credit.card.html'), 'utf8');
}, 240_000);

/** The Markdown section under a "## " heading. */
const section = (title: string) => md.split(/^## /m).find((s) => s.startsWith(`${title}\n`)) ?? '';

describe('model card at ONNX export', () => {
  it('carries the written intended use and limitations, in both files', () => {
    expect(section('Intended use')).toContain('Rank loan applications for a second look by a credit officer.\n\nNot for automatic refusals.');
    // A pipe in the text is kept as text in Markdown, escaped in HTML.
    expect(section('Limitations')).toContain(LIMITATIONS);
    expect(html).toContain('<p>Rank loan applications for a second look by a credit officer.</p><p>Not for automatic refusals.</p>');
    expect(html).toContain('may leak through | income.');
    expect(INTENDED_USE).toContain('\n\n');
  });

  it('names the run and the pipeline hash the run log recorded, and the data file by its sha256', async () => {
    const runs = await cli('runs', '--json', '--in', dir);
    const latest = JSON.parse(runs.stdout)[0];
    expect(section('Data lineage')).toContain(`- Run: ${latest.id}`);
    expect(section('Data lineage')).toContain(`- Pipeline hash: ${latest.pipelineHash}`);
    const sha = createHash('sha256').update(readFileSync(join(dir, 'data', 'loans.csv'))).digest('hex');
    expect(section('Data lineage')).toMatch(new RegExp(`\\| data/loans\\.csv \\| ${sha} \\| \\d+ \\| load \\|`));
    expect(section('Data lineage')).toMatch(/Trained by node `train` on 1400 rows \(sha256 of those rows: [0-9a-f]{64}\)/);
    expect(html).toContain(`<code>${latest.id}</code>`);
  });

  it('lists Evaluate\'s metrics and the parity figures with the values of the run', () => {
    const metrics = report.metrics.evaluate_by_sex;
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['roc_auc', 'accuracy', 'demographic_parity_difference', 'equalized_odds_difference']));
    for (const [name, value] of Object.entries(metrics)) expect(section('Metrics')).toContain(`| ${name} | ${cardNumber(value)} |`);
  });

  it('has the per-group table of Evaluate (one row per sex, counts adding up to the test rows)', () => {
    const rows = section('Per-group metrics').split('\n').filter((l) => /^\| (female|male) \|/.test(l));
    expect(rows).toHaveLength(2);
    const counts = rows.map((r) => Number(r.split('|')[2]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(600);
    expect(section('Per-group metrics')).toContain('| group | count | selection_rate | accuracy | precision | recall | false_positive_rate |');
  });

  it('ranks the top columns as the Explain node did, with its mean |attribution|', () => {
    const top = report.explanations.explain.top;
    expect(top.length).toBeGreaterThan(3);
    const lines = section('Top explanations').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| column') && !l.startsWith('| ---'));
    expect(lines).toEqual(top.map((t) => `| ${t.column} | ${cardNumber(t.mean_abs)} |`));
  });

  it('checks the pipeline\'s gates: the AUC gate passes with the run\'s AUC, a parity gate it misses says why', () => {
    const gates = section('Gates');
    const auc = report.metrics.evaluate_by_sex.roc_auc;
    expect(gates).toContain(`| evaluate_by_sex.roc_auc >= 0.6 | passed | ${cardNumber(auc)} | >= 0.6 |`);
    const dpd = report.metrics.evaluate_by_sex.demographic_parity_difference;
    expect(dpd).toBeGreaterThan(0.0001);
    expect(gates).toContain(`| demographic parity | FAILED | ${cardNumber(dpd)} | < 0.0001 |`);
  });

  it('summarises the training reference drift checks compare with', () => {
    const ref = section('Drift reference');
    expect(ref).toContain('Summaries of the 1400 training rows');
    // The same summary the exported file carries for drift checks.
    const info = readModelInfo(readFileSync(join(dir, 'credit.onnx')));
    const income = info.trainingReference!.columns.find((c) => c.column === 'annual_income') as NumericReference;
    expect(ref).toContain(`| annual_income | number | 0.0% | mean ${Number(income.mean.toPrecision(4))}, std ${Number(income.std.toPrecision(4))}, range ${income.min} … ${income.max} |`);
    expect(ref).toMatch(/\| home_ownership \| category \| 0\.0% \| rent [\d.]+%, mortgage [\d.]+%, own [\d.]+% \(3 values\) \|/);
    expect(ref).toMatch(/\| prediction \(model output\) \| category \| 0\.0% \| [01] [\d.]+%, [01] [\d.]+% \(2 values\) \|/);
  });

  it('is self-contained HTML: no script, no URL but data:, a policy that fetches nothing', () => {
    expect(html).not.toMatch(/<script|@import|url\((?!['"]?data:)/i);
    const urls = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => !u.startsWith('data:') && !u.startsWith('#'))).toEqual([]);
    expect(html).toContain(`content="default-src 'none'`);
  });
});
