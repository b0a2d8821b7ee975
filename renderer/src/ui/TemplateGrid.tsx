import { useEffect, useMemo, useState } from 'react';
import type { TemplateInfo } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { TemplateThumbnail } from '../gallery/TemplateThumbnail.tsx';
import { UseTemplateDialog } from '../gallery/UseTemplateDialog.tsx';
import { openPath } from '../store/files.ts';

const METRIC_WORDS: Record<string, string> = { roc_auc: 'ROC AUC', r2: 'R²', accuracy: 'accuracy', silhouette: 'silhouette', f1: 'F1', rmse: 'RMSE', mae: 'MAE' };

function thresholdText(t: TemplateInfo['threshold']): string {
  if (!t) return '';
  const metric = t.metric.split('.').pop()!;
  return `${METRIC_WORDS[metric] ?? metric} ${t.min !== undefined ? `≥ ${t.min.toFixed(2)}` : `≤ ${t.max!.toFixed(2)}`}`;
}

/** The example gallery: cards with a thumbnail of each pipeline, filtered by task and tag; a card opens its pipeline as an unsaved copy, "Use this template" copies it and its data into a folder. */
export function TemplateGrid() {
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [task, setTask] = useState('');
  const [tag, setTag] = useState('');
  const [using, setUsing] = useState<TemplateInfo | null>(null);
  useEffect(() => {
    void api().listTemplates().then(setTemplates, () => setTemplates([]));
  }, []);
  const tasks = useMemo(() => [...new Set((templates ?? []).map((t) => t.task).filter(Boolean))].sort(), [templates]);
  const tags = useMemo(() => [...new Set((templates ?? []).flatMap((t) => t.tags))].sort(), [templates]);
  const shown = (templates ?? []).filter((t) => (!task || t.task === task) && (!tag || t.tags.includes(tag)));
  return (
    <div className="template-gallery">
      {templates && templates.length > 1 && (
        <div className="template-filters" role="group" aria-label="Filter templates">
          <select className="input" aria-label="Task" value={task} onChange={(e) => setTask(e.target.value)} data-testid="template-filter-task">
            <option value="">Every task</option>
            {tasks.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
          <span className="template-filters__tags">
            {tags.map((t) => (
              <button key={t} type="button" className={`tag tag--button${tag === t ? ' tag--on' : ''}`} aria-pressed={tag === t} onClick={() => setTag(tag === t ? '' : t)} data-testid={`template-filter-tag-${t}`}>
                {t}
              </button>
            ))}
          </span>
          <span className="muted" data-testid="template-count">{shown.length} of {templates.length}</span>
        </div>
      )}
      <div className="template-grid">
        {shown.map((t) => (
          <article key={t.id} className="template-card" data-testid={`template-card-${t.id}`}>
            <button type="button" className="template-card__open" onClick={() => void openPath(t.path, true)} data-testid={`template-${t.id}`} title="Open as an unsaved copy">
              <TemplateThumbnail preview={t.preview} />
              <strong>{t.name}</strong>
              <span className="template-card__meta">
                {t.task && <span>{t.task}</span>}
                {t.difficulty && <span className={`template-card__level template-card__level--${t.difficulty}`}>{t.difficulty}</span>}
                {t.threshold && <span title="The score it reaches on held-out rows">{thresholdText(t.threshold)}</span>}
              </span>
              <span className="template-card__description">{t.description}</span>
            </button>
            <span className="template-card__tags">{t.tags.map((tg) => <span key={tg} className="tag">{tg}</span>)}</span>
            <button type="button" className="button" onClick={() => setUsing(t)} data-testid={`use-template-${t.id}`}>Use this template…</button>
          </article>
        ))}
        {templates && !templates.length && <p className="muted">No examples found.</p>}
        {templates && templates.length > 0 && !shown.length && <p className="muted">No template matches these filters.</p>}
      </div>
      {using && <UseTemplateDialog template={using} onClose={() => setUsing(null)} />}
    </div>
  );
}
