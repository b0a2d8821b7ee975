import { useEffect, useState } from 'react';
import type { TemplateInfo } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { openPath } from '../store/files.ts';

/** The example gallery: each card opens its pipeline as an unsaved copy. */
export function TemplateGrid() {
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  useEffect(() => {
    void api().listTemplates().then(setTemplates, () => setTemplates([]));
  }, []);
  return (
    <div className="template-grid">
      {templates?.map((t) => (
        <button key={t.id} className="template-card" onClick={() => void openPath(t.path, true)} data-testid={`template-${t.id}`}>
          <strong>{t.name}</strong>
          <span>{t.description}</span>
          <span className="template-card__tags">{t.tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}</span>
        </button>
      ))}
      {templates && !templates.length && <p className="muted">No examples found.</p>}
    </div>
  );
}
