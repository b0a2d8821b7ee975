import { describe, expect, it } from 'vitest';
import { formatNamedMetric } from '../../renderer/src/lib/format.ts';

describe('formatNamedMetric (metric cards, the Runs table and its comparison)', () => {
  it('shows a percentage metric as a percentage, a count as a count and a score with four decimals', () => {
    expect(formatNamedMetric('profile.missing_cells_pct', 0)).toBe('0.0%');
    expect(formatNamedMetric('missing_cells_pct', 12.3456)).toBe('12.3%');
    expect(formatNamedMetric('profile.rows', 40)).toBe('40');
    expect(formatNamedMetric('train.accuracy', 1)).toBe('1.0000');
    expect(formatNamedMetric('evaluate.roc_auc', 0.95)).toBe('0.9500');
    expect(formatNamedMetric('x_pct', null)).toBe('–');
  });
});
