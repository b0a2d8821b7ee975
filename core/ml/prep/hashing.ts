/**
 * Feature hashing per column, as scikit-learn 1.2's FeatureHasher(n_features=k,
 * input_type="string", alternate_sign=True) applied to the one value of each row: MurmurHash3
 * (32-bit, seed 0, signed) of the value's UTF-8 bytes picks column |h| mod k and the sign of h
 * the sign of the 1. Stateless — nothing is learned, so unseen values need no special case.
 * Outputs `<col>_h0..<col>_h{k-1}` replace the column; missing → all zeros.
 * Not exportable: standard ONNX has no string hash op (onnxruntime's MurmurHash3 is a
 * com.microsoft contrib op, which our targets avoid).
 */
import { z } from 'zod';
import { CATEGORICAL, param, type Resolved } from '../../spec/index.ts';
import { withColumns, type NewColumn } from '../frame.ts';
import { keyColumn } from './categories.ts';
import type { StepKind } from './types.ts';

export const hashingParams = z.object({
  columns: param.selection('Category columns to hash', { types: CATEGORICAL }).default([]),
  n_features: z.number().int().min(1).max(4096).default(16).describe('Hashing: columns per input column'),
});
export type HashingParams = Resolved<z.infer<typeof hashingParams>>;

export interface HashingState {
  columns: string[];
  nFeatures: number;
}

const encoder = new TextEncoder();

/** MurmurHash3_x86_32 of bytes, as a signed 32-bit integer (sklearn.utils.murmurhash3_32). */
export function murmurhash3(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const n = bytes.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = n & 3;
  if (tail === 3) k ^= bytes[blocks + 2] << 16;
  if (tail >= 2) k ^= bytes[blocks + 1] << 8;
  if (tail >= 1) {
    k ^= bytes[blocks];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export const hashName = (column: string, j: number) => `${column}_h${j}`;

export const hashing: StepKind<HashingParams, HashingState, typeof hashingParams> = {
  kind: 'hashing',
  title: 'Encode Categories',
  params: hashingParams,
  exportable: false,
  fit: (_frame, params) => ({ columns: [...params.columns], nFeatures: params.n_features }),
  apply(state, frame) {
    const k = state.nFeatures;
    const add: NewColumn[] = [];
    for (const column of state.columns) {
      const keys = keyColumn(frame, column, 'Encode Categories');
      const outs = Array.from({ length: k }, () => new Float64Array(frame.rows));
      const cache = new Map<string, number>();
      for (let i = 0; i < frame.rows; i++) {
        const v = keys[i];
        if (v === null) continue;
        let h = cache.get(v);
        if (h === undefined) {
          h = murmurhash3(encoder.encode(v));
          cache.set(v, h);
        }
        outs[Math.abs(h) % k][i] += h >= 0 ? 1 : -1;
      }
      outs.forEach((values, j) => add.push({ name: hashName(column, j), type: 'number', values }));
    }
    return withColumns(frame, add, state.columns);
  },
  io: (params) => ({ inputs: [...params.columns], outputs: params.columns.flatMap((c) => Array.from({ length: params.n_features }, (_, j) => hashName(c, j))) }),
  lineage: (params) => Object.fromEntries(params.columns.flatMap((c) => Array.from({ length: params.n_features }, (_, j) => [hashName(c, j), [c]]))),
  drops: (params) => [...params.columns],
};
