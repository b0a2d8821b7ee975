import { useEffect, useMemo, useRef, useState, useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ColumnProfile, ColumnSchema } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { ProfileStrip } from './ProfileStrip.tsx';
import { StaleNote } from './StaleNote.tsx';
import { Icon } from '../ui/Icon.tsx';
import { formatCell } from '../lib/format.ts';

const ROW = 26;
const PAGE = 200;
const COL_WIDTH = 150;
const INDEX_WIDTH = 72;
/** Browsers cap element heights (~33M px in Chromium); beyond this the scrollbar is scaled. */
const MAX_SCROLL = 8_000_000;

/** Output tables of the selected node, paged from the host as the grid scrolls. */
export function PreviewTab() {
  const nodeId = useDocStore((s) => (s.selection.length === 1 ? s.selection[0] : null));
  const spec = useDocStore((s) => {
    const n = s.pipeline.nodes.find((x) => x.id === nodeId);
    return n ? s.catalog.get(n.type) : undefined;
  });
  const tablePorts = useMemo(() => spec?.outputs.filter((o) => o.type === 'table') ?? [], [spec]);
  const [port, setPort] = useState<string | null>(null);
  const activePort = port && tablePorts.some((p) => p.name === port) ? port : (tablePorts[0]?.name ?? null);
  const { value, version, runId } = useRunStore(
    useShallow((s) => ({ value: nodeId && activePort ? s.outputs[nodeId]?.[activePort] : undefined, version: s.outputsVersion, runId: s.resultsRunId })),
  );

  if (!nodeId) return <p className="panel-empty">Select a node to preview its output.</p>;
  if (!tablePorts.length) return <p className="panel-empty">{nodeId} has no table output. Its results are in the Results tab.</p>;
  return (
    <div className="preview" data-testid="preview">
      <div className="preview__bar">
        <strong>{nodeId}</strong>
        {tablePorts.length > 1 && (
          <div className="segmented" role="tablist" aria-label="Output">
            {tablePorts.map((p) => (
              <button key={p.name} role="tab" aria-selected={p.name === activePort} className={`segmented__item${p.name === activePort ? ' is-active' : ''}`} onClick={() => setPort(p.name)} data-testid={`preview-port-${p.name}`}>
                {p.label}
              </button>
            ))}
          </div>
        )}
        {value?.kind === 'table' && <span className="muted" data-testid="preview-rowcount">{value.rowCount.toLocaleString('en')} rows × {value.columns.filter((c) => c.name !== '__row').length} columns</span>}
        <StaleNote nodeId={nodeId} />
      </div>
      {value?.kind === 'table' ? (
        <Grid key={`${nodeId}.${activePort}.${version}`} nodeId={nodeId} port={activePort!} runId={runId} />
      ) : (
        <p className="panel-empty">No output yet. Run the pipeline (Ctrl+Enter) or run up to this node (Ctrl+Shift+Enter).</p>
      )}
    </div>
  );
}

/** `runId`: the run whose results this document shows (never another pipeline's node of the same id). */
function Grid({ nodeId, port, runId }: { nodeId: string; port: string; runId: string | null }) {
  const [sort, setSort] = useState<{ column: string; descending: boolean } | null>(null);
  return <SortedGrid key={sort ? `${sort.column}:${sort.descending}` : '-'} nodeId={nodeId} port={port} runId={runId} sort={sort} onSort={setSort} />;
}

type Sort = { column: string; descending: boolean } | null;

function SortedGrid({ nodeId, port, runId, sort, onSort }: { nodeId: string; port: string; runId: string | null; sort: Sort; onSort: (s: Sort) => void }) {
  const [columns, setColumns] = useState<ColumnSchema[]>([]);
  const [profile, setProfile] = useState<ColumnProfile[] | undefined>();
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, bump] = useState(0);
  const pages = useRef(new Map<number, unknown[][]>());
  const inflight = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 300 });

  const fetchPage = useCallback(
    (page: number, withProfile = false) => {
      if (pages.current.has(page) || inflight.current.has(page)) return;
      inflight.current.add(page);
      api()
        .preview({ nodeId, port, runId: runId ?? undefined, offset: page * PAGE, limit: PAGE, withProfile, orderBy: sort ?? undefined })
        .then((r) => {
          inflight.current.delete(page);
          pages.current.set(page, r.rows);
          if (withProfile || !columns.length) {
            setColumns(r.columns);
            setTotal(r.totalRows);
          }
          if (r.profile) setProfile(r.profile);
          bump((n) => n + 1);
        }, (e: unknown) => {
          inflight.current.delete(page);
          setError(errorInfoOf(e).message);
        });
    },
    [nodeId, port, runId, columns.length, sort],
  );

  useEffect(() => fetchPage(0, true), [fetchPage]);

  const visible = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.name !== '__row');
  const totalRows = total ?? 0;
  const full = totalRows * ROW;
  const scrollHeight = Math.min(full, MAX_SCROLL);
  const ratio = scrollHeight > view.height ? Math.max(1, (full - view.height) / (scrollHeight - view.height)) : 1;
  const virtualTop = view.top * ratio;
  const first = Math.max(0, Math.floor(virtualTop / ROW));
  const count = Math.ceil(view.height / ROW) + 2;
  const last = Math.min(totalRows, first + count);

  useEffect(() => {
    if (total === null) return;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) fetchPage(p);
  }, [first, last, total, fetchPage]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView((v) => ({ ...v, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  if (error) return <p className="field__error panel-empty" role="alert">{error}</p>;
  const width = INDEX_WIDTH + visible.length * COL_WIDTH;
  const rows = [];
  for (let r = first; r < last; r++) {
    const page = pages.current.get(Math.floor(r / PAGE));
    const row = page?.[r % PAGE];
    rows.push(
      <div key={r} className="grid__row" role="row" aria-rowindex={r + 2} style={{ top: view.top + (r * ROW - virtualTop), width }} data-testid={r === first ? 'grid-first-row' : undefined}>
        <span className="grid__index" role="rowheader">{r + 1}</span>
        {visible.map(({ c, i }) => (
          <span key={c.name} role="gridcell" className={`grid__cell grid__cell--${c.type}`} style={{ width: COL_WIDTH }}>{row ? formatCell(row[i], dataNumber) : '…'}</span>
        ))}
      </div>,
    );
  }
  return (
    <div className="grid" role="grid" aria-rowcount={totalRows + 1} aria-label={`Rows of ${nodeId}.${port}`} data-testid="preview-grid">
      <div
        className="grid__scroll"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          setView({ top: el.scrollTop, height: el.clientHeight });
        }}
        tabIndex={0}
      >
        <div className="grid__head" role="row" style={{ width }}>
          <span className="grid__index">#</span>
          {visible.map(({ c }) => (
            <button
              key={c.name}
              role="columnheader"
              aria-sort={sort?.column === c.name ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              className="grid__th"
              style={{ width: COL_WIDTH }}
              title={`${c.name}: ${c.dbType}. Click to sort.`}
              data-testid={`col-${c.name}`}
              onClick={() => onSort(sort?.column !== c.name ? { column: c.name, descending: false } : sort.descending ? null : { column: c.name, descending: true })}
            >
              <span className="grid__th-name">{c.name}{sort?.column === c.name && <Icon name={sort.descending ? 'down' : 'up'} size={11} />}</span>
              <span className="grid__th-type">{c.type}</span>
            </button>
          ))}
        </div>
        {profile && <ProfileStrip columns={visible.map(({ c }) => c)} profile={profile} colWidth={COL_WIDTH} indexWidth={INDEX_WIDTH} />}
        <div className="grid__body" style={{ height: scrollHeight, width }}>{rows}</div>
      </div>
    </div>
  );
}

/** Data values as they are (rounded to 6 decimals), not as metrics; dates as dates (lib/format.ts). */
const dataNumber = (v: number) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6));
