/**
 * The report's CSS variables are the studio's light theme and scales (renderer/src/styles.css): the
 * shared chart CSS draws with them, so a chart's colours in a report are the window's. The values are
 * copied (a report cannot load the studio's stylesheet); this test keeps the copy from drifting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPORT_CSS } from '../../../core/report/report-css.ts';

const vars = (block: string) => Object.fromEntries([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));

describe('report CSS', () => {
  it("defines every variable with the studio's light-theme value", () => {
    const studio = readFileSync(new URL('../../../renderer/src/styles.css', import.meta.url), 'utf8');
    const blockOf = (selector: string) => studio.slice(studio.indexOf(`${selector} {`)).split('}')[0];
    const theme = { ...vars(blockOf(':root')), ...vars(blockOf("[data-theme='light']")) };
    const report = vars(REPORT_CSS.slice(REPORT_CSS.indexOf(':root {')).split('}')[0]);
    expect(Object.keys(report).length).toBeGreaterThan(20);
    for (const [name, value] of Object.entries(report)) expect([name, value]).toEqual([name, theme[name]]);
  });
});
