/**
 * Text features: each text column becomes numeric columns, as scikit-learn 1.2's
 * TfidfVectorizer (method "tfidf": a vocabulary and IDF weights learned from the fitting rows
 * only) or HashingVectorizer (method "hashing": nothing learned) compute them on the same
 * settings — checked within 1e-9 in test/core/ml/prep/text-features.parity.test.ts.
 *
 * The analyser, as sklearn's: lowercase (optional), then
 * - word: tokens are runs of two or more word characters (sklearn's token_pattern
 *   `(?u)\b\w\w+\b`: letters, digits, underscore), stop words removed, then word n-grams joined
 *   by one space;
 * - char: character n-grams of the whole text, runs of white space collapsed to one space;
 * - char_wb: character n-grams inside each word padded with a space on both sides.
 * Characters are Unicode code points, as Python's str indexes them.
 *
 * Outputs replace the column: `<col>[<term>]` per vocabulary term (sorted, as
 * get_feature_names_out), or `<col>[#<j>]` per hashed feature. A missing text is an empty text.
 *
 * Where sklearn leaves an order unspecified — max_features keeping the most frequent terms when
 * several tie at the cut (numpy's unstable argsort) — ties go to the term first in sorted order.
 *
 * Not exportable: standard ONNX has no regular-expression tokeniser, no character n-grams and no
 * string hash (onnxruntime's Tokenizer is a com.microsoft contrib op, which our targets avoid);
 * the export refuses it by node (core/export/onnx/registry.ts).
 */
import { z } from 'zod';
import { FlowlineError, param, type Resolved } from '../../spec/index.ts';
import { fitRowCount, textKeys, withColumns, type NewColumn } from '../frame.ts';
import { murmurhash3 } from './hashing.ts';
import { ENGLISH_STOP_WORDS } from './stop-words.ts';
import type { StepKind } from './types.ts';

const advanced = <T extends z.ZodType>(schema: T, description: string) => schema.meta({ description, ui: { advanced: true } });

export const textFeaturesParams = z.object({
  columns: param.selection('Text columns; each becomes <column>[<term>] columns (or <column>[#j] when hashed)', { types: ['string'] }).default([]),
  method: z.enum(['tfidf', 'hashing']).default('tfidf').describe('tfidf: term counts weighted by inverse document frequency, vocabulary learned from the training rows; hashing: counts of hashed terms in a fixed number of columns, nothing learned'),
  analyzer: z.enum(['word', 'char', 'char_wb']).default('word').describe('word: words (2+ letters or digits); char: character n-grams of the whole text; char_wb: character n-grams inside words'),
  ngram_min: z.number().int().min(1).max(10).default(1).describe('Shortest n-gram (words or characters)'),
  ngram_max: z.number().int().min(1).max(10).default(1).describe('Longest n-gram: 2 adds word pairs such as "not good"'),
  lowercase: z.boolean().default(true).describe('Lower-case the text first'),
  stop_words: z.enum(['none', 'english']).default('none').describe("english: leave out scikit-learn's 318 English stop words (the, and, of…); word analyser only"),
  extra_stop_words: advanced(z.array(z.string()).default([]), 'More words to leave out (word analyser), lower-cased like the text'),
  max_features: z.number().int().min(1).max(20_000).default(1000).describe('TF-IDF: keep at most this many terms, the most frequent in the training rows'),
  min_df: advanced(z.number().int().min(1).default(1), "TF-IDF: keep terms found in at least this many training rows (scikit-learn's integer min_df)"),
  max_df: advanced(z.number().gt(0).max(1).default(1), "TF-IDF: drop terms found in more than this share of the training rows, e.g. 0.9 (scikit-learn's float max_df)"),
  n_features: z.number().int().min(2).max(16_384).default(256).describe('Hashing: columns per text column'),
  alternate_sign: advanced(z.boolean().default(true), "Hashing: a term's sign comes from its hash, so collisions cancel out on average"),
  binary: advanced(z.boolean().default(false), 'Count a term once per text (0/1) instead of how often it occurs'),
  sublinear_tf: advanced(z.boolean().default(false), 'TF-IDF: 1 + ln(count) instead of the count'),
  use_idf: advanced(z.boolean().default(true), 'TF-IDF: weight by inverse document frequency'),
  norm: advanced(z.enum(['l2', 'l1', 'none']).default('l2'), "Scale each row's values to unit length (l2), unit sum (l1), or leave them"),
});
export type TextFeaturesParams = Resolved<z.infer<typeof textFeaturesParams>>;

interface Vocabulary {
  column: string;
  terms: string[];
  /** IDF per term (tfidf with use_idf). */
  idf?: number[];
}

export interface TextFeaturesState {
  params: TextFeaturesParams;
  /** tfidf: one vocabulary per column; hashing: empty. */
  vocabularies: Vocabulary[];
}

const WHO = 'Text Features';

export const termColumn = (column: string, term: string) => `${column}[${term}]`;
export const hashColumn = (column: string, j: number) => `${column}[#${j}]`;

// Python's \w on str: letters (L*), numbers (N*) and the underscore.
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const WHITE_SPACE = /\s\s+/gu;

/** sklearn's token_pattern (?u)\b\w\w+\b: maximal runs of word characters, two or more long. */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 2) out.push(run.join(''));
    run = [];
  };
  for (const ch of text) {
    if (WORD_CHAR.test(ch)) run.push(ch);
    else flush();
  }
  flush();
  return out;
}

function wordNgrams(tokens: string[], minN: number, maxN: number): string[] {
  if (maxN === 1) return tokens;
  const out = minN === 1 ? [...tokens] : [];
  for (let n = Math.max(minN, 2); n <= Math.min(maxN, tokens.length); n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}

function charNgrams(text: string, minN: number, maxN: number): string[] {
  const chars = Array.from(text.replace(WHITE_SPACE, ' '));
  const out: string[] = minN === 1 ? [...chars] : [];
  for (let n = Math.max(minN, 2); n <= Math.min(maxN, chars.length); n++) {
    for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
  }
  return out;
}

/** sklearn's _char_wb_ngrams: n-grams inside " word ", a word shorter than n counted once. */
function charWbNgrams(text: string, minN: number, maxN: number): string[] {
  const out: string[] = [];
  for (const word of text.replace(WHITE_SPACE, ' ').split(/\s+/u).filter(Boolean)) {
    const w = Array.from(` ${word} `);
    for (let n = minN; n <= maxN; n++) {
      let offset = 0;
      out.push(w.slice(offset, offset + n).join(''));
      while (offset + n < w.length) {
        offset++;
        out.push(w.slice(offset, offset + n).join(''));
      }
      if (offset === 0) break;
    }
  }
  return out;
}

/** The analyser of a parameter set: text → the terms it counts (repeats included). */
export function analyzer(p: TextFeaturesParams): (text: string | null) => string[] {
  const lower = (s: string) => (p.lowercase ? s.toLowerCase() : s);
  const stop = new Set<string>([...(p.stop_words === 'english' ? ENGLISH_STOP_WORDS : []), ...p.extra_stop_words.map(lower)]);
  return (raw) => {
    const text = lower(raw ?? '');
    if (p.analyzer === 'char') return charNgrams(text, p.ngram_min, p.ngram_max);
    if (p.analyzer === 'char_wb') return charWbNgrams(text, p.ngram_min, p.ngram_max);
    const tokens = wordTokens(text);
    return wordNgrams(stop.size ? tokens.filter((t) => !stop.has(t)) : tokens, p.ngram_min, p.ngram_max);
  };
}

/** Code-point order, as Python sorts str (JS's default sort compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a), y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

function checkParams(p: TextFeaturesParams): void {
  const bad = (message: string, path: string) => new FlowlineError({ code: 'INVALID_PARAM', path: [path], message: `${WHO}: ${message}` });
  if (!p.columns.length) throw bad('choose at least one text column.', 'columns');
  if (p.ngram_min < 1 || p.ngram_max < p.ngram_min) throw bad(`the n-gram range ${p.ngram_min}..${p.ngram_max} is empty; ngram_max must be at least ngram_min (both at least 1).`, 'ngram_max');
}

function fitVocabulary(docs: string[][], column: string, p: TextFeaturesParams): Vocabulary {
  const df = new Map<string, number>();
  const tf = new Map<string, number>();
  for (const terms of docs) {
    const seen = new Set<string>();
    for (const t of terms) {
      if (!seen.has(t)) {
        seen.add(t);
        df.set(t, (df.get(t) ?? 0) + 1);
        if (p.binary) tf.set(t, (tf.get(t) ?? 0) + 1);
      }
      if (!p.binary) tf.set(t, (tf.get(t) ?? 0) + 1);
    }
  }
  const n = docs.length;
  const maxDocs = p.max_df * n;
  if (maxDocs < p.min_df) throw new FlowlineError({ code: 'INVALID_PARAM', path: ['max_df'], message: `${WHO}: max_df ${p.max_df} of ${n} rows keeps terms in at most ${maxDocs} rows, fewer than min_df (${p.min_df}).`, hint: 'Raise max_df or lower min_df.' });
  let terms = [...df.keys()].sort(byCodePoint).filter((t) => df.get(t)! <= maxDocs && df.get(t)! >= p.min_df);
  if (terms.length > p.max_features) {
    const order = terms.map((t, i) => i).sort((a, b) => tf.get(terms[b])! - tf.get(terms[a])! || a - b);
    const keep = new Set(order.slice(0, p.max_features));
    terms = terms.filter((_, i) => keep.has(i));
  }
  if (!terms.length) {
    throw new FlowlineError({ code: 'BAD_DATA', column, message: `${WHO}: no term of '${column}' is left to count${n ? ` in the ${n} fitting rows` : ''} (min_df ${p.min_df}, max_df ${p.max_df}).`, hint: 'Lower min_df, raise max_df, or check that the column holds text.' });
  }
  const vocab: Vocabulary = { column, terms };
  // sklearn's smooth IDF: ln((1 + n) / (1 + df)) + 1
  if (p.use_idf) vocab.idf = terms.map((t) => Math.log((n + 1) / (df.get(t)! + 1)) + 1);
  return vocab;
}

/** Scale each row's non-zero entries to unit norm (sklearn.preprocessing.normalize). */
function normalise(entries: Map<number, number>, norm: TextFeaturesParams['norm']): void {
  if (norm === 'none') return;
  let s = 0;
  for (const v of entries.values()) s += norm === 'l2' ? v * v : Math.abs(v);
  const by = norm === 'l2' ? Math.sqrt(s) : s;
  if (by === 0) return;
  for (const [k, v] of entries) entries.set(k, v / by);
}

export const textFeatures: StepKind<TextFeaturesParams, TextFeaturesState, typeof textFeaturesParams> = {
  kind: 'text_features',
  title: WHO,
  params: textFeaturesParams,
  exportable: false,
  fit(frame, params, rowIndex) {
    checkParams(params);
    const analyse = analyzer(params);
    if (params.method === 'hashing') return { params: { ...params }, vocabularies: [] };
    const n = fitRowCount(frame, rowIndex);
    const vocabularies = params.columns.map((column) => {
      const texts = textKeys(frame, column, WHO);
      const docs = Array.from({ length: n }, (_, r) => analyse(texts[rowIndex ? rowIndex[r] : r]));
      return fitVocabulary(docs, column, params);
    });
    return { params: { ...params }, vocabularies };
  },
  apply(state, frame) {
    const p = state.params;
    const analyse = analyzer(p);
    const add: NewColumn[] = [];
    p.columns.forEach((column, c) => {
      const texts = textKeys(frame, column, WHO);
      const vocab = state.vocabularies[c];
      const width = p.method === 'hashing' ? p.n_features : vocab.terms.length;
      const outs = Array.from({ length: width }, () => new Float64Array(frame.rows));
      const slot = vocab ? new Map(vocab.terms.map((t, j) => [t, j])) : null;
      for (let i = 0; i < frame.rows; i++) {
        const entries = new Map<number, number>();
        for (const term of analyse(texts[i])) {
          if (slot) {
            const j = slot.get(term);
            if (j !== undefined) entries.set(j, (entries.get(j) ?? 0) + 1);
          } else {
            const h = murmurhash3(encoder.encode(term));
            const j = Math.abs(h) % width;
            entries.set(j, (entries.get(j) ?? 0) + (p.alternate_sign && h < 0 ? -1 : 1));
          }
        }
        // A hashed slot hit by terms that cancel out is still "present" for binary, as in sklearn.
        if (p.binary) for (const j of entries.keys()) entries.set(j, 1);
        if (slot) {
          for (const [j, v] of entries) entries.set(j, (p.sublinear_tf ? 1 + Math.log(v) : v) * (vocab.idf ? vocab.idf[j] : 1));
        }
        normalise(entries, p.norm);
        for (const [j, v] of entries) outs[j][i] = v;
      }
      const names = slot ? vocab.terms.map((t) => termColumn(column, t)) : outs.map((_, j) => hashColumn(column, j));
      names.forEach((name, j) => add.push({ name, type: 'number', values: outs[j] }));
    });
    return withColumns(frame, add, p.columns);
  },
  io: (params, state) => ({
    inputs: [...params.columns],
    outputs: params.method === 'hashing'
      ? params.columns.flatMap((c) => Array.from({ length: params.n_features }, (_, j) => hashColumn(c, j)))
      : (state?.vocabularies ?? []).flatMap((v) => v.terms.map((t) => termColumn(v.column, t))),
  }),
  lineage: (params, state) =>
    Object.fromEntries(
      params.method === 'hashing'
        ? params.columns.flatMap((c) => Array.from({ length: params.n_features }, (_, j) => [hashColumn(c, j), [c]]))
        : state.vocabularies.flatMap((v) => v.terms.map((t) => [termColumn(v.column, t), [v.column]])),
    ),
  drops: (params) => [...params.columns],
};

const encoder = new TextEncoder();
