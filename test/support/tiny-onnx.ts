/**
 * Small hand-built ONNX models that follow the export contract (docs/onnx-export.md): one input
 * per raw column, shape [N, 1], double for numbers and booleans, string for text; a classifier
 * answers `label` [N] and `probabilities` [N, k], a regressor `value` [N, 1]. Their numbers are
 * plain formulas, so a test can compute the expected answer itself.
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

const { onnx } = onnxProto;

const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const STRING = onnx.TensorProto.DataType.STRING;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;
const bytes = (s: string) => new TextEncoder().encode(s);

function io(name: string, elemType: number, dims: (number | string)[]): O.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}

function node(opType: string, inputs: string[], outputs: string[], attrs: O.IAttributeProto[] = [], domain = ''): O.INodeProto {
  return { opType, input: inputs, output: outputs, attribute: attrs, domain, name: `${opType}_${outputs[0]}` };
}

function doubles(name: string, dims: number[], values: number[]): O.ITensorProto {
  return { name, dims, dataType: DOUBLE, doubleData: values };
}

function encode(graph: O.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'flowline-test',
      opsetImport: [
        { domain: '', version: 17 },
        { domain: 'ai.onnx.ml', version: 3 },
      ],
      graph,
    }),
  ).finish();
}

export const TINY_COLORS = ['red', 'green', 'blue'];

/** X [N, 3] = [x, flag, color code] (code -1 for an unknown color), for both tiny classifiers. */
function tinyFeatures(): O.INodeProto[] {
  return [
    node('LabelEncoder', ['color'], ['color_f'], [
      { name: 'keys_strings', type: A.STRINGS, strings: TINY_COLORS.map(bytes) },
      { name: 'values_floats', type: A.FLOATS, floats: TINY_COLORS.map((_, i) => i) },
      { name: 'default_float', type: A.FLOAT, f: -1 },
    ], 'ai.onnx.ml'),
    node('Cast', ['color_f'], ['color_d'], [{ name: 'to', type: A.INT, i: DOUBLE }]),
    node('Concat', ['x', 'flag', 'color_d'], ['X'], [{ name: 'axis', type: A.INT, i: 1 }]),
  ];
}

/** From P(yes) `p1` [N, 1]: probabilities [N, 2] = [1 - p1, p1] and the label of the larger. */
function tinyLabels(classes: string[]): O.INodeProto[] {
  return [
    node('Sub', ['one', 'p1'], ['p0']),
    node('Concat', ['p0', 'p1'], ['probabilities'], [{ name: 'axis', type: A.INT, i: 1 }]),
    node('ArgMax', ['probabilities'], ['index'], [
      { name: 'axis', type: A.INT, i: 1 },
      { name: 'keepdims', type: A.INT, i: 0 },
    ]),
    node('LabelEncoder', ['index'], ['label'], [
      { name: 'keys_int64s', type: A.INTS, ints: classes.map((_, i) => i) },
      { name: 'values_strings', type: A.STRINGS, strings: classes.map(bytes) },
      { name: 'default_string', type: A.STRING, s: bytes('') },
    ], 'ai.onnx.ml'),
  ];
}

/** The tiny classifier's P(yes) for one row: sigmoid(w · [x, flag, colorCode] + b). */
export function tinyProbability(row: { x: number; flag: boolean; color: string }, w = [0.8, -1.5, 0.6], b = -0.3): number {
  const code = TINY_COLORS.indexOf(row.color);
  const z = w[0] * row.x + w[1] * (row.flag ? 1 : 0) + w[2] * code + b;
  return 1 / (1 + Math.exp(-z));
}

/** Binary classifier on x (number), flag (boolean), color (text: red/green/blue; others code -1). */
export function tinyClassifier(w = [0.8, -1.5, 0.6], b = -0.3, classes = ['no', 'yes']): Uint8Array {
  return encode({
    name: 'tiny_classifier',
    input: [io('x', DOUBLE, ['N', 1]), io('flag', DOUBLE, ['N', 1]), io('color', STRING, ['N', 1])],
    output: [io('label', STRING, ['N']), io('probabilities', DOUBLE, ['N', 2])],
    initializer: [doubles('W', [3, 1], w), doubles('B', [1], [b]), doubles('one', [1], [1])],
    node: [
      ...tinyFeatures(),
      node('MatMul', ['X', 'W'], ['z0']),
      node('Add', ['z0', 'B'], ['z']),
      node('Sigmoid', ['z'], ['p1']),
      ...tinyLabels(classes),
    ],
  });
}

/**
 * The tiny tree classifier's P(yes) for one row: two trees summed, as TreeEnsembleRegressor does
 * (in float32, then cast to double). Tree 0 splits on x <= 0.5, then color code <= 0.5; tree 1 on flag.
 */
export function tinyTreeProbability(row: { x: number; flag: boolean; color: string }): number {
  const code = TINY_COLORS.indexOf(row.color);
  const t0 = row.x <= 0.5 ? 0.2 : code <= 0.5 ? 0.7 : 0.4;
  const t1 = row.flag ? 0.05 : 0.25;
  return Math.fround(Math.fround(t0) + Math.fround(t1));
}

/**
 * The tiny classifier's inputs and outputs, scored by two small trees instead of a logistic
 * function: every operator gives a row the same bits wherever it sits in a batch, so the bundle
 * server may score concurrent requests together (micro-batching).
 */
export function tinyTreeClassifier(classes = ['no', 'yes']): Uint8Array {
  const strings = (name: string, values: string[]) => ({ name, type: A.STRINGS, strings: values.map(bytes) });
  const ints = (name: string, values: number[]) => ({ name, type: A.INTS, ints: values });
  const floats = (name: string, values: number[]) => ({ name, type: A.FLOATS, floats: values });
  return encode({
    name: 'tiny_tree_classifier',
    input: [io('x', DOUBLE, ['N', 1]), io('flag', DOUBLE, ['N', 1]), io('color', STRING, ['N', 1])],
    output: [io('label', STRING, ['N']), io('probabilities', DOUBLE, ['N', 2])],
    initializer: [doubles('one', [1], [1])],
    node: [
      ...tinyFeatures(),
      node('TreeEnsembleRegressor', ['X'], ['p1_f'], [
        ints('nodes_treeids', [0, 0, 0, 0, 0, 1, 1, 1]),
        ints('nodes_nodeids', [0, 1, 2, 3, 4, 0, 1, 2]),
        ints('nodes_featureids', [0, 0, 2, 0, 0, 1, 0, 0]),
        floats('nodes_values', [0.5, 0, 0.5, 0, 0, 0.5, 0, 0]),
        strings('nodes_modes', ['BRANCH_LEQ', 'LEAF', 'BRANCH_LEQ', 'LEAF', 'LEAF', 'BRANCH_LEQ', 'LEAF', 'LEAF']),
        ints('nodes_truenodeids', [1, 0, 3, 0, 0, 1, 0, 0]),
        ints('nodes_falsenodeids', [2, 0, 4, 0, 0, 2, 0, 0]),
        ints('target_treeids', [0, 0, 0, 1, 1]),
        ints('target_nodeids', [1, 3, 4, 1, 2]),
        ints('target_ids', [0, 0, 0, 0, 0]),
        floats('target_weights', [0.2, 0.7, 0.4, 0.25, 0.05]),
        { name: 'n_targets', type: A.INT, i: 1 },
      ], 'ai.onnx.ml'),
      node('Cast', ['p1_f'], ['p1'], [{ name: 'to', type: A.INT, i: DOUBLE }]),
      ...tinyLabels(classes),
    ],
  });
}

/**
 * Regressor on `columns` numeric inputs c0, c1, ... joined by one Concat, as the export joins a
 * tree model's numeric columns: two stumps, on c0 <= 0 and on the last column <= 1, summed as
 * float32 and cast to double: value = (c0 <= 0 ? 1 : 2) + (last <= 1 ? 10 : 20).
 */
export function tinyWideTreeRegressor(columns: number): Uint8Array {
  const names = Array.from({ length: columns }, (_, j) => `c${j}`);
  const ints = (name: string, values: number[]) => ({ name, type: A.INTS, ints: values });
  const floats = (name: string, values: number[]) => ({ name, type: A.FLOATS, floats: values });
  return encode({
    name: 'tiny_wide_tree_regressor',
    input: names.map((n) => io(n, DOUBLE, ['N', 1])),
    output: [io('value', DOUBLE, ['N', 1])],
    node: [
      node('Concat', names, ['X'], [{ name: 'axis', type: A.INT, i: 1 }]),
      node('TreeEnsembleRegressor', ['X'], ['value_f'], [
        ints('nodes_treeids', [0, 0, 0, 1, 1, 1]),
        ints('nodes_nodeids', [0, 1, 2, 0, 1, 2]),
        ints('nodes_featureids', [0, 0, 0, columns - 1, 0, 0]),
        floats('nodes_values', [0, 0, 0, 1, 0, 0]),
        { name: 'nodes_modes', type: A.STRINGS, strings: ['BRANCH_LEQ', 'LEAF', 'LEAF', 'BRANCH_LEQ', 'LEAF', 'LEAF'].map(bytes) },
        ints('nodes_truenodeids', [1, 0, 0, 1, 0, 0]),
        ints('nodes_falsenodeids', [2, 0, 0, 2, 0, 0]),
        ints('target_treeids', [0, 0, 1, 1]),
        ints('target_nodeids', [1, 2, 1, 2]),
        ints('target_ids', [0, 0, 0, 0]),
        floats('target_weights', [1, 2, 10, 20]),
        { name: 'n_targets', type: A.INT, i: 1 },
      ], 'ai.onnx.ml'),
      node('Cast', ['value_f'], ['value'], [{ name: 'to', type: A.INT, i: DOUBLE }]),
    ],
  });
}

/** Regressor: value = 2x + 3 (and nothing else), input x [N, 1] double. */
export function tinyRegressor(slope = 2, intercept = 3): Uint8Array {
  return encode({
    name: 'tiny_regressor',
    input: [io('x', DOUBLE, ['N', 1])],
    output: [io('value', DOUBLE, ['N', 1])],
    initializer: [doubles('a', [1], [slope]), doubles('c', [1], [intercept])],
    node: [node('Mul', ['x', 'a'], ['ax']), node('Add', ['ax', 'c'], ['value'])],
  });
}

/** value = 2x + 3 reshaped to [1, 1]: it scores one row per run and fails on two. */
export function tinyRegressorOfOneRow(): Uint8Array {
  return encode({
    name: 'tiny_regressor_one_row',
    input: [io('x', DOUBLE, ['N', 1])],
    output: [io('value', DOUBLE, [1, 1])],
    initializer: [doubles('a', [1], [2]), doubles('c', [1], [3]), { name: 'one_by_one', dims: [2], dataType: INT64, int64Data: [1, 1] }],
    node: [node('Mul', ['x', 'a'], ['ax']), node('Add', ['ax', 'c'], ['v']), node('Reshape', ['v', 'one_by_one'], ['value'])],
  });
}

export { INT64 };
