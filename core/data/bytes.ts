/** Sizes as people write them in settings. */

/** "512MB", "2GB", "1.5 GiB", a plain number of bytes; null when not one of those. */
export function parseBytes(text: string | undefined): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text ?? '');
  if (!m) return null;
  return Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
}
