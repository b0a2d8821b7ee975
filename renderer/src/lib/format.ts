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

/** 2014-03-02 (ISO order reads the same in every locale and sorts); the local calendar day. */
export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "14:02" for a time today, else "2014-03-02 14:02". */
export function formatWhen(t: number | Date | string, now = new Date()): string {
  const d = t instanceof Date ? t : new Date(t);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return formatDate(d) === formatDate(now) ? hm : `${formatDate(d)} ${hm}`;
}
