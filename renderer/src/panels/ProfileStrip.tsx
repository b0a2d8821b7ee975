import type { ColumnProfile, ColumnSchema } from '../../../core/host/api.ts';
import { histogramSampleNote } from '../../../core/spec/table-page.ts';

import { formatCell, formatCount, formatMetric, formatPercent } from '../lib/format.ts';

/** A statistic: whole numbers as counts, others as metrics, dates as dates, missing as "–". */
const fmt = (v: unknown) => (v === null || v === undefined ? '–' : formatCell(v, (n) => (Number.isInteger(n) ? formatCount(n) : formatMetric(n))));

/** One cell per column: a mini histogram (or top values), missing %, distinct, min/max/mean. */
export function ProfileStrip({ columns, profile, colWidth, indexWidth }: { columns: ColumnSchema[]; profile: ColumnProfile[]; colWidth: number; indexWidth: number }) {
  const byName = new Map(profile.map((p) => [p.name, p]));
  return (
    <div className="profile" role="row" data-testid="profile-strip" style={{ width: indexWidth + columns.length * colWidth }}>
      <span className="grid__index muted">profile</span>
      {columns.map((c) => {
        const p = byName.get(c.name);
        return (
          <div key={c.name} className="profile__cell" style={{ width: colWidth }} data-testid={`profile-${c.name}`}>
            {p ? (
              <>
                <MiniBars values={p.histogram?.map((b) => b.count) ?? p.top?.map((t) => t.count) ?? []} title={p.histogram ? ['distribution', histogramSampleNote(p)].filter(Boolean).join(', ') : 'most frequent values'} />
                <div className="profile__stats">
                  <span title="missing values" className={p.missing ? 'profile__missing' : undefined}>{formatPercent(p.missingPct)} missing</span>
                  <span>
                    <span title="distinct values">{fmt(p.distinct)} distinct</span>
                    {p.nan || p.infinite ? (
                      <>
                        {' · '}
                        <span title="values that are NaN or ±Infinity (not in min, mean, max or the bars)" className="profile__missing" data-testid={`profile-${c.name}-nonfinite`}>
                          {[p.nan ? `${formatCount(p.nan)} NaN` : '', p.infinite ? `${formatCount(p.infinite)} ±∞` : ''].filter(Boolean).join(' · ')}
                        </span>
                      </>
                    ) : null}
                  </span>
                  {p.mean !== undefined && p.mean !== null ? (
                    <span title="min · mean · max">{fmt(p.min)} · {fmt(p.mean)} · {fmt(p.max)}</span>
                  ) : p.top?.[0] ? (
                    <span title="most frequent">top: {fmt(p.top[0].value)}</span>
                  ) : null}
                </div>
              </>
            ) : (
              <span className="muted">–</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

function MiniBars({ values, title }: { values: number[]; title: string }) {
  if (!values.length) return <svg className="profile__bars" aria-hidden />;
  const max = Math.max(...values, 1);
  const w = 100 / values.length;
  return (
    <svg className="profile__bars" viewBox="0 0 100 24" preserveAspectRatio="none" role="img" aria-label={title}>
      <title>{title}</title>
      {values.map((v, i) => (
        <rect key={i} x={i * w + 0.5} width={Math.max(w - 1, 0.5)} y={24 - (v / max) * 24} height={(v / max) * 24} />
      ))}
    </svg>
  );
}
