import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameFromArrays } from '../../../../core/ml/frame.ts';
import { textFeatures, wordTokens, type TextFeaturesParams } from '../../../../core/ml/prep/text-features.ts';
import { Rng } from '../../../../core/spec/random.ts';
import type { MetricsValue, ModelValue, TableRef } from '../../../../core/spec/values.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { runPipeline } from '../../../support/run-pipeline.ts';
import { expectClose } from './helpers.ts';

const WORDS = ['great', 'good', 'bad', 'terrible', 'not', 'the', 'battery', 'screen', 'Screen', 'price', 'and', 'is', 'was', 'very', 'a', 'I', 'it', 'fast', 'slow', 'café', 'naïve', 'über', 'x', '4k', 'HDR', 'don\'t', 'won’t', 'co-op', 'e-mail', '42', 'snake_case', 'Ünïcödé'];
const PUNCT = ['', '', '', ',', '.', '!', '?', ' -', '…', ';'];

/** Short, review-like texts with case, punctuation, accents, digits, runs of spaces and tabs. */
function corpus(n: number, seed: number): (string | null)[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    if (i % 17 === 5) return null;
    if (i % 23 === 7) return '';
    const len = 1 + rng.int(14);
    return Array.from({ length: len }, () => `${WORDS[rng.int(WORDS.length)]}${PUNCT[rng.int(PUNCT.length)]}`).join(rng.next() < 0.1 ? '  \t ' : ' ');
  });
}

const train = corpus(160, 1);
const test = corpus(60, 2);

const BASE: TextFeaturesParams = {
  columns: ['text'], method: 'tfidf', analyzer: 'word', ngram_min: 1, ngram_max: 1, lowercase: true, stop_words: 'none', extra_stop_words: [],
  min_df: 1, max_df: 1, max_features: 20_000, n_features: 256, alternate_sign: true, binary: false, sublinear_tf: false, use_idf: true, norm: 'l2',
};

const CASES: Record<string, Partial<TextFeaturesParams>> = {
  tfidf_words: {},
  tfidf_bigrams_stop_limits: { ngram_max: 2, stop_words: 'english', extra_stop_words: ['Battery'], min_df: 2, max_df: 0.5, sublinear_tf: true, max_features: -1 },
  tfidf_char_wb_binary_l1: { analyzer: 'char_wb', ngram_min: 2, ngram_max: 4, binary: true, norm: 'l1' },
  tfidf_char_no_idf_cased: { analyzer: 'char', ngram_min: 1, ngram_max: 3, use_idf: false, lowercase: false, norm: 'none' },
  tfidf_trigrams_only: { ngram_min: 3, ngram_max: 3, min_df: 1 },
  hashing_words: { method: 'hashing', ngram_max: 2, n_features: 64 },
  hashing_char_wb_binary: { method: 'hashing', analyzer: 'char_wb', ngram_min: 3, ngram_max: 3, n_features: 32, alternate_sign: false, binary: true, norm: 'none' },
};

const PY = String.raw`
import json, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer, HashingVectorizer, ENGLISH_STOP_WORDS
inp = json.load(sys.stdin)
train = [d or "" for d in inp["train"]]; test = [d or "" for d in inp["test"]]
res = {}
for name, p in inp["cases"].items():
    stop = None
    if p["stop_words"] == "english" or p["extra_stop_words"]:
        stop = sorted((ENGLISH_STOP_WORDS if p["stop_words"] == "english" else set()) | {w.lower() if p["lowercase"] else w for w in p["extra_stop_words"]})
    common = dict(analyzer=p["analyzer"], ngram_range=(p["ngram_min"], p["ngram_max"]), lowercase=p["lowercase"], stop_words=stop, binary=p["binary"], norm=None if p["norm"] == "none" else p["norm"])
    if p["method"] == "hashing":
        v = HashingVectorizer(n_features=p["n_features"], alternate_sign=p["alternate_sign"], **common)
        X = v.fit(train).transform(test).toarray(); names = None; limit = None
    else:
        limit = p["max_features"]
        if limit == -1:
            # the largest limit below the vocabulary size with no tie at the cut (sklearn breaks ties with an unstable sort)
            from sklearn.feature_extraction.text import CountVectorizer
            cv = CountVectorizer(min_df=p["min_df"], max_df=float(p["max_df"]), **{k: v for k, v in common.items() if k != "norm"}).fit(train)
            tfs = np.sort(np.asarray(cv.transform(train).sum(axis=0)).ravel())[::-1]
            limit = next(k for k in range(len(tfs) - 1, 0, -1) if tfs[k - 1] != tfs[k])
        v = TfidfVectorizer(min_df=p["min_df"], max_df=float(p["max_df"]), max_features=limit if limit < 20000 else None, sublinear_tf=p["sublinear_tf"], use_idf=p["use_idf"], **common)
        X = v.fit(train).transform(test).toarray(); names = [str(n) for n in v.get_feature_names_out()]
    res[name] = {"names": names, "limit": limit, "columns": [[float(x) for x in X[:, j]] for j in range(X.shape[1])]}
print(json.dumps(res))
`;

describePython('sklearn', 'Text Features match scikit-learn 1.2 TfidfVectorizer / HashingVectorizer', () => {
  const cases = Object.fromEntries(Object.entries(CASES).map(([k, v]) => [k, { ...BASE, ...v }]));
  const sk = runPython<Record<string, { names: string[] | null; limit: number | null; columns: number[][] }>>(PY, { train, test, cases });
  for (const [name, params] of Object.entries(cases)) {
    it(`${name}: same vocabulary and values within 1e-9`, () => {
      const expected = sk[name];
      const p = { ...params, max_features: params.max_features === -1 ? expected.limit! : params.max_features };
      const state = textFeatures.fit(frameFromArrays({ text: train }), p);
      const out = textFeatures.apply(state, frameFromArrays({ text: test }));
      if (p.method === 'tfidf') expect(state.vocabularies[0].terms).toEqual(expected.names);
      if (params.max_features === -1) expect(expected.limit).toBeGreaterThan(10);
      const names = textFeatures.io(p, state).outputs;
      expect(names).toHaveLength(expected.columns.length);
      names.forEach((col, j) => expectClose(out.columns[col] as Float64Array, expected.columns[j], 1e-9, `${name} ${col}`));
    });
  }
});

describe('Text Features', () => {
  it('tokenises like (?u)\\b\\w\\w+\\b: runs of 2+ letters, digits or underscores', () => {
    expect(wordTokens("I don't like e-mail, café 42 snake_case x ü")).toEqual(['don', 'like', 'mail', 'café', '42', 'snake_case']);
  });

  it('learns its vocabulary from the fitting rows only', () => {
    const frame = frameFromArrays({ text: ['good phone', 'bad phone', 'unseen words here'] });
    const state = textFeatures.fit(frame, BASE, Uint32Array.from([0, 1]));
    expect(state.vocabularies[0].terms).toEqual(['bad', 'good', 'phone']);
    const out = textFeatures.apply(state, frame);
    expect(Object.keys(out.columns)).toEqual(['text[bad]', 'text[good]', 'text[phone]']);
    expect(Array.from(out.columns['text[phone]'] as Float64Array).slice(2)).toEqual([0]);
  });

  it('in Train: refitted on the training rows, the model scores reviews, and ONNX export refuses it by node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-text-'));
    const rng = new Rng(3);
    const pos = ['great', 'love', 'excellent', 'fast'], neg = ['bad', 'broken', 'slow', 'refund'], filler = ['phone', 'the', 'battery', 'screen', 'it', 'was'];
    const rows = Array.from({ length: 200 }, (_, i) => {
      const good = i % 2 === 0;
      const words = Array.from({ length: 6 }, () => (rng.next() < 0.35 ? (good ? pos : neg)[rng.int(4)] : filler[rng.int(filler.length)]));
      return `"${words.join(' ')}${i === 199 ? ' zyzzyva' : ''}",${good ? 'positive' : 'negative'}`;
    });
    writeFileSync(join(dir, 'reviews.csv'), `review,sentiment\n${rows.join('\n')}\n`);
    const n = (id: string, type: string, params: Record<string, unknown> = {}, version = 1) => ({ id, type, version, params });
    const run = await runPipeline(
      {
        nodes: [
          n('load', 'data.load_csv', { path: 'reviews.csv' }),
          n('text', 'prep.text_features', { columns: ['review'], ngram_max: 2 }),
          n('split', 'data.split', { test_fraction: 0.25, method: 'stratified', column: 'sentiment' }, 2),
          n('train', 'ml.train', { target: 'sentiment', learner: 'logistic_regression' }, 2),
          n('evaluate', 'ml.evaluate'),
          n('export', 'export.onnx', { path: 'm.onnx' }),
        ],
        edges: [
          { from: 'load.table', to: 'text.table' },
          { from: 'text.table', to: 'split.table' },
          { from: 'split.train', to: 'train.table' },
          { from: 'train.model', to: 'evaluate.model' },
          { from: 'split.test', to: 'evaluate.table' },
          { from: 'train.model', to: 'export.model' },
        ],
      },
      { dir },
    );
    const model = run.output<ModelValue>('train', 'model');
    expect(model.inputColumns.map((c) => c.name)).toEqual(['review']);
    const step = model.recipe.find((s) => s.kind === 'text_features')!;
    const trainIds = new Set((await import('../../../../core/data/tables.ts').then((m) => m.readColumns(run.output<TableRef>('split', 'train'), [])).then((r) => Array.from(r.rowIds))));
    const terms = (step.state as { vocabularies: { terms: string[] }[] }).vocabularies[0].terms;
    // 'zyzzyva' is only in row 199: in the vocabulary exactly when that row is a training row
    expect(terms.includes('zyzzyva')).toBe(trainIds.has(199));
    expect(run.output<MetricsValue>('evaluate', 'metrics').values.accuracy).toBeGreaterThan(0.8);
    const refusal = run.node('export').error!;
    expect(refusal).toMatchObject({ code: 'NOT_EXPORTABLE', nodeId: 'export' });
    expect(refusal.message).toMatch(/node 'text' \(Text Features\): standard ONNX has no regular-expression tokeniser/);
    expect(existsSync(join(dir, 'm.onnx'))).toBe(false);
  }, 60_000);
});
