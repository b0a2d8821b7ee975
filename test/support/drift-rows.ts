/**
 * The drift tests' data (Detect Drift node, `flowline monitor`): deterministic rows of two numbers,
 * a city and a yes/no label; `shift` moves x1 and the cities, so the shifted rows drift and a
 * resample of the unshifted ones does not.
 */
const CITIES = ['Lyon', 'Oslo', 'Porto'];

/** Row i as a CSV line. */
export function driftRow(i: number, shift = false): string {
  const x1 = ((i * 37) % 101) / 10 - 5 + (shift ? 4 : 0);
  const x2 = ((i * 53) % 97) / 20 - 2;
  const city = shift ? (i % 5 === 0 ? 'Lyon' : 'Porto') : CITIES[i % 3];
  const label = x1 + x2 + (city === 'Oslo' ? 1 : 0) + (((i * 7) % 11) - 5) / 5 > 0 ? 'yes' : 'no';
  return `${x1},${x2},${city},${label}`;
}

/** A CSV file's text from rows made by driftRow. */
export const driftCsv = (rows: string[]) => `x1,x2,city,label\n${rows.join('\n')}\n`;
