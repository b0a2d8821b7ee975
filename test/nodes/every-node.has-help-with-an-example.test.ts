import { describe, expect, it } from 'vitest';
import { NODES } from '../../nodes/index.ts';
import { catalogOf } from '../../core/host/service/catalog.ts';

describe('per-node help', () => {
  it('every node explains itself at more length than its palette line, with an example', () => {
    const missing = NODES.filter((n) => !n.help).map((n) => n.type);
    expect(missing, 'nodes without help').toEqual([]);
    for (const n of NODES) {
      const help = n.help!;
      expect(help.text.length, `${n.type}: help longer than the description`).toBeGreaterThan(Math.min(n.description.length, 200));
      expect(help.example.trim().length, `${n.type}: an example`).toBeGreaterThan(20);
      // The example shows what comes out, not only the settings.
      expect(help.example, `${n.type}: example says what it gives`).toMatch(/→/);
    }
  });

  it('the catalog (studio, `flowline nodes --json`) carries each node\'s help', () => {
    const catalog = catalogOf([...NODES]);
    for (const entry of catalog) {
      const spec = NODES.find((n) => n.type === entry.type)!;
      expect(entry.help).toEqual(spec.help);
    }
  });
});
