/**
 * One way to show numbers, percentages, dates and times everywhere in the studio (grids, result
 * tables, profiles, run lists, the log).
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** 14:02:05 */
export function formatTime(t: number | Date | string): string {
  const d = t instanceof Date ? t : new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
