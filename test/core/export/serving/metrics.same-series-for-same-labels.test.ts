import { describe, expect, it } from 'vitest';
import { Registry } from '../../../../core/export/serving/server/metrics.ts';

describe('the serving metrics registry', () => {
  it('counts into one series per label values, whether the labels come as a reused frozen array or a new one', () => {
    const r = new Registry();
    r.define('hits_total', 'counter', 'Hits.', ['route', 'status']);
    r.define('seconds', 'histogram', 'Time.', ['route'], [0.1, 1]);
    const frozen = Object.freeze(['/predict', '200']);
    r.inc('hits_total', frozen);
    r.inc('hits_total', frozen, 2);
    r.inc('hits_total', ['/predict', '200']);
    r.inc('hits_total', Object.freeze(['/predict', '422']));
    const route = Object.freeze(['/predict']);
    r.observe('seconds', route, 0.05);
    r.observe('seconds', ['/predict'], 0.5);
    const text = r.render();
    expect(text).toContain('hits_total{route="/predict",status="200"} 4\n');
    expect(text).toContain('hits_total{route="/predict",status="422"} 1\n');
    expect(text).toContain('seconds_count{route="/predict"} 2\n');
    expect(text).toContain('seconds_bucket{route="/predict",le="0.1"} 1\n');
  });
});
