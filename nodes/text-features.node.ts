import { defineNode, describeSelection } from '../core/spec/index.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { textFeatures, textFeaturesParams } from '../core/ml/prep/text-features.ts';

export const textFeaturesNode = defineNode({
  type: 'prep.text_features',
  version: 1,
  title: 'Text Features',
  category: 'Features',
  description:
    "Turn short texts (reviews, tickets, titles) into numeric columns: TF-IDF over a vocabulary learned from the training rows only, or hashed counts. Words or character n-grams, lower-cased, optional stop words — as scikit-learn's TfidfVectorizer / HashingVectorizer compute them.",
  help: {
    text:
      'Turns each text column into numeric columns a learner can use. The text is lower-cased and cut into words (runs of two or more letters or digits) or character n-grams; word n-grams of 2 add pairs such as "not good", which carry negation. tfidf counts each term of a vocabulary learned from the training rows only (the most frequent max_features terms) and weights it by how rare it is across those rows (inverse document frequency), then scales each row to unit length. hashing needs no vocabulary: each term is hashed into one of n_features columns, so unseen words still count and nothing is learned.\n\nThe numbers equal scikit-learn 1.2\'s TfidfVectorizer and HashingVectorizer on the same settings. A model using these columns cannot be exported to ONNX (standard ONNX cannot tokenise like scikit-learn); score it with Predict or flowline run.',
    example: 'column review "Not good, battery died", method tfidf, ngram_max 2 → columns such as review[battery], review[good], review[not good] holding TF-IDF weights; the column review is replaced.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: textFeaturesParams,
  exportable: false,
  summary: (p) => `${p.method} of ${describeSelection(p.columns) || '(no column)'} (${p.analyzer} ${p.ngram_min === p.ngram_max ? p.ngram_min : `${p.ngram_min}–${p.ngram_max}`}-grams)`,
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, textFeatures, params, { check: { need: 'Text features need text', advice: 'pick a text column, or convert it with Cast Types' } }) };
  },
});
