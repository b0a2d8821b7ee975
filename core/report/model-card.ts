/**
 * The model card (core/spec/model-card.ts) as Markdown, readable as plain text, and as one
 * self-contained HTML page in the run report's shell and look (html.ts: no script, no URL, a CSP
 * that fetches nothing), the explanation's bars drawn by the studio's own chart component.
 */
import { cardNumber, cardSentences, referenceRows, type ModelCard } from '../spec/model-card.ts';
import { chartRenderer } from './render-report.ts';
import { dataTable, esc, facts, page, section } from './html.ts';
import { writeReportFile } from './write-report.ts';

// ---------------------------------------------------------------- Markdown

const mdCell = (v: unknown) => String(v ?? '–').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const mdTable = (head: string[], rows: unknown[][]) => [`| ${head.map(mdCell).join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
const shown = (v: unknown) => (typeof v === 'number' ? cardNumber(v) : v);

export function modelCardMarkdown(card: ModelCard): string {
  const s = cardSentences(card);
  const m = card.model;
  const l = card.lineage;
  const out: string[] = [];
  out.push(`# Model card: ${card.title}`, '', `\`${card.artifact}\` · exported ${card.exportedAt} by Flowline ${card.flowlineVersion}`, '');
  out.push('## Intended use', '', s.intended, '', '## Limitations', '', s.limitations, '');
  out.push('## Model', '');
  out.push(`- Task: ${m.task}${m.target ? ` of \`${m.target}\`` : ''}${m.classes ? ` (classes: ${m.classes.join(', ')})` : ''}`);
  out.push(`- Learner: ${m.learner} ${JSON.stringify(m.params)}`);
  out.push(`- Reads ${m.inputs.length} column${m.inputs.length === 1 ? '' : 's'}: ${m.inputs.map((c) => `\`${c.name}\` (${c.type})`).join(', ')}; ${m.features} feature${m.features === 1 ? '' : 's'} after its steps`);
  if (m.steps.length) out.push(`- Feature steps: ${m.steps.map((st) => `${st.kind} (node \`${st.nodeId}\`)`).join(', ')}`);
  out.push('', '## Data lineage', '');
  out.push(`- Run: ${l.runId ?? 'not recorded'}`);
  out.push(`- Pipeline hash: ${l.pipelineHash ?? 'not recorded'}`);
  out.push(`- Trained by node \`${l.trainNode}\` on ${l.trainingRows} rows (sha256 of those rows: ${l.trainingFingerprint ?? 'not recorded'})`);
  if (l.sources.length) out.push('', mdTable(['data file', 'sha256', 'bytes', 'read by'], l.sources.map((f) => [f.path, f.hash, f.size, f.nodes.join(', ')])));
  out.push('', '## Metrics', '');
  if (card.metrics) out.push(`From node \`${card.metrics.nodeId}\` (${card.metrics.scope} rows).`, '', mdTable(['metric', 'value'], Object.entries(card.metrics.values).map(([k, v]) => [k, cardNumber(v)])));
  else out.push(s.metricsNone);
  out.push('', '## Per-group metrics', '');
  if (card.groups) out.push(card.groups.title, '', mdTable(card.groups.columns, card.groups.rows.map((r) => r.map(shown))));
  else out.push(s.groupsNone);
  out.push('', '## Top explanations', '');
  const e = card.explanation;
  if (e) out.push(`From node \`${e.nodeId}\`: ${e.method} over ${e.rows} rows, ${e.output ? `output ${e.output}, ` : ''}on the ${e.scale} scale.`, '', mdTable(['column', 'mean |attribution|'], e.top.map((t) => [t.column, cardNumber(t.mean_abs)])));
  else out.push(s.explanationNone);
  out.push('', '## Gates', '');
  if (card.gates) out.push(mdTable(['gate', 'verdict', 'measured', 'bound', 'why'], card.gates.map((g) => [g.gate, g.passed ? 'passed' : 'FAILED', shown(g.measured), g.bound, g.message])));
  else out.push(s.gatesNone);
  out.push('', '## Drift reference', '');
  if (card.reference) out.push(s.reference.replace('flowline monitor', '`flowline monitor`'), '', mdTable(['column', 'kind', 'missing', 'training rows'], referenceRows(card)));
  else out.push(s.referenceNone);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- HTML

/** Paragraphs of written text: a blank line starts a new one. */
const paragraphs = (text: string, written: boolean) => text.split(/\n\s*\n/).map((p) => `<p${written ? '' : ' class="muted"'}>${esc(p.trim()).replace(/\n/g, '<br>')}</p>`).join('');
const muted = (text: string) => `<p class="muted">${esc(text)}</p>`;

/** Async: the chart renderer (React's server renderer) loads on first use. */
export async function modelCardHtml(card: ModelCard): Promise<string> {
  const chartSvg = await chartRenderer();
  const s = cardSentences(card);
  const m = card.model;
  const l = card.lineage;
  const code = (t: string) => `<code>${esc(t)}</code>`;
  const e = card.explanation;
  const gates = card.gates
    ? `<div class="table-wrap"><table class="data"><thead><tr>${['gate', 'verdict', 'measured', 'bound', 'why'].map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${card.gates
        .map((g) => `<tr><td>${esc(g.gate)}</td><td class="${g.passed ? 'pass' : 'fail'}">${g.passed ? '✓ passed' : '✗ failed'}</td><td>${esc(shown(g.measured) ?? '–')}</td><td>${esc(g.bound)}</td><td>${esc(g.message)}</td></tr>`)
        .join('')}</tbody></table></div>`
    : muted(s.gatesNone);
  const body = [
    `<header class="report-head"><h1>Model card: ${esc(card.title)}</h1><p class="muted">${code(card.artifact)} · exported ${esc(card.exportedAt)} by Flowline ${esc(card.flowlineVersion)}</p></header>`,
    section('intended-use', 'Intended use', paragraphs(s.intended, s.intendedWritten)),
    section('limitations', 'Limitations', paragraphs(s.limitations, s.limitationsWritten)),
    section(
      'model',
      'Model',
      facts([
        ['Task', `${esc(m.task)}${m.target ? ` of ${code(m.target)}` : ''}${m.classes ? ` (classes: ${esc(m.classes.join(', '))})` : ''}`],
        ['Learner', `${esc(m.learner)} ${code(JSON.stringify(m.params))}`],
        ['Reads', `${m.inputs.map((c) => `${code(c.name)} ${esc(c.type)}`).join(', ')}; ${m.features} feature${m.features === 1 ? '' : 's'} after its steps`],
        ['Feature steps', m.steps.map((st) => `${esc(st.kind)} (node ${code(st.nodeId)})`).join(', ') || undefined],
      ]),
    ),
    section(
      'lineage',
      'Data lineage',
      facts([
        ['Run', l.runId ? code(l.runId) : 'not recorded'],
        ['Pipeline hash', l.pipelineHash ? code(l.pipelineHash) : 'not recorded'],
        ['Training rows', `${l.trainingRows} rows, by node ${code(l.trainNode)}; sha256 ${code(l.trainingFingerprint ?? 'not recorded')}`],
      ]) + (l.sources.length ? dataTable(['data file', 'sha256', 'bytes', 'read by'], l.sources.map((f) => [f.path, f.hash, f.size, f.nodes.join(', ')])) : ''),
    ),
    section('metrics', 'Metrics', card.metrics ? `${muted(`From node ${card.metrics.nodeId} (${card.metrics.scope} rows).`)}${dataTable(['metric', 'value'], Object.entries(card.metrics.values).map(([k, v]) => [k, cardNumber(v)]))}` : muted(s.metricsNone)),
    section('groups', 'Per-group metrics', card.groups ? dataTable(card.groups.columns, card.groups.rows.map((r) => r.map(shown)), { caption: card.groups.title }) : muted(s.groupsNone)),
    section(
      'explanations',
      'Top explanations',
      e
        ? `${muted(`From node ${e.nodeId}: ${e.method} over ${e.rows} rows${e.output ? `, output ${e.output}` : ''}, on the ${e.scale} scale.`)}${chartSvg({ kind: 'bar', id: 'card_top', title: 'Mean |attribution| per column', categories: e.top.map((t) => t.column), series: [{ name: 'mean |attribution|', values: e.top.map((t) => t.mean_abs) }], horizontal: true, valueLabel: 'mean |attribution|' })}${dataTable(['column', 'mean |attribution|'], e.top.map((t) => [t.column, cardNumber(t.mean_abs)]))}`
        : muted(s.explanationNone),
    ),
    section('gates', 'Gates', gates),
    section('reference', 'Drift reference', card.reference ? `${muted(s.reference)}${dataTable(['column', 'kind', 'missing', 'training rows'], referenceRows(card))}` : muted(s.referenceNone)),
  ];
  return page(`Model card: ${card.title}`, `<main>${body.join('\n')}</main>`);
}

/** Both files, each written atomically. */
export async function writeModelCard(card: ModelCard, paths: { markdown: string; html: string }, nodeId?: string): Promise<void> {
  await writeReportFile(paths.markdown, modelCardMarkdown(card), nodeId);
  await writeReportFile(paths.html, await modelCardHtml(card), nodeId);
}
