/**
 * Split a text column on a delimiter into a fixed number of parts `<col>_1..<col>_n` (the last
 * part keeps the rest of the text; missing parts are missing). Stateless. The source column is
 * dropped unless `keep_original`. Not exportable: ONNX's StringSplit (opset 20) is newer than our
 * default target and pads differently.
 */
import { z } from 'zod';
import { param, type Resolved } from '../../spec/index.ts';
import { textKeys, withColumns, type NewColumn, type TextColumn } from '../frame.ts';
import type { StepKind } from './types.ts';

export const splitTextParams = z.object({
  column: param.column('Text column to split', { types: ['string'] }).default(''),
  delimiter: z.string().min(1).default(',').describe('Text between the parts'),
  parts: z.number().int().min(1).max(50).default(2).describe('Number of parts; the last part keeps the rest of the text'),
  trim: z.boolean().default(true).describe('Remove spaces around each part'),
  keep_original: z.boolean().default(false).describe('Keep the source column'),
});
export type SplitTextParams = Resolved<z.infer<typeof splitTextParams>>;

export const splitPartName = (column: string, i: number) => `${column}_${i + 1}`;

export const splitText: StepKind<SplitTextParams, SplitTextParams, typeof splitTextParams> = {
  kind: 'split_text',
  title: 'Split Text',
  params: splitTextParams,
  exportable: false,
  fit: (_frame, params) => ({ ...params }),
  apply(state, frame) {
    const keys = textKeys(frame, state.column, 'Split Text');
    const outs: TextColumn[] = Array.from({ length: state.parts }, () => new Array(frame.rows).fill(null));
    for (let i = 0; i < frame.rows; i++) {
      const v = keys[i];
      if (v === null) continue;
      const pieces = v.split(state.delimiter);
      for (let p = 0; p < state.parts && p < pieces.length; p++) {
        const s = p === state.parts - 1 ? pieces.slice(p).join(state.delimiter) : pieces[p];
        outs[p][i] = state.trim === false ? s : s.trim();
      }
    }
    const add: NewColumn[] = outs.map((values, p) => ({ name: splitPartName(state.column, p), type: 'string', values }));
    return withColumns(frame, add, state.keep_original ? [] : [state.column]);
  },
  io: (params) => ({ inputs: [params.column], outputs: Array.from({ length: params.parts }, (_, i) => splitPartName(params.column, i)) }),
  drops: (params) => (params.keep_original ? [] : [params.column]),
};
