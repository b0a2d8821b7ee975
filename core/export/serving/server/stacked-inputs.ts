/**
 * One [N, k] input in place of k per-column ones, inside the served model only.
 *
 * The export contract gives an ONNX model one input per raw column (docs/onnx-export.md), and a
 * tree or linear model's graph first joins the numeric ones with a Concat. onnxruntime-node pays
 * for every input of every run (a tensor handed to native code, checked and copied): with 20
 * columns that was about two thirds of a one-row run of a 100-tree forest (~90 µs against ~30 µs
 * fed as one [1, 20] tensor). So when the server loads a model it rewrites, in memory, each run of
 * two or more consecutive Concat operands that are double [N, 1] graph inputs read by nothing
 * else into one double [N, k] input; it then feeds those columns row by row into one tensor. The
 * Concat receives the same numbers in the same places, so every answer keeps its bits. The
 * bundle's model.onnx, its manifest and the request schema are unchanged.
 *
 * Anything unexpected (a subgraph, sparse initializers, another axis, an input used twice) leaves
 * the model as it is.
 */
import { copied, fields, join, lengthField, stringField, text, varintField, type Field } from './proto.ts';

/** A new input: the ONNX inputs it replaces, in its column order. */
export interface StackedInput {
  name: string;
  columns: string[];
}

export interface Stacked {
  bytes: Uint8Array;
  stacks: StackedInput[];
}

const DOUBLE = 11;

interface GraphInput {
  field: Field;
  name: string;
  /** The raw Dimension message of the batch dimension, for the stacked input's shape. */
  batchDim: Uint8Array | null;
}

/** The model with per-column inputs stacked where its graph allows; null where it does not. */
export function stackInputs(bytes: Uint8Array): Stacked | null {
  try {
    return rewrite(bytes);
  } catch {
    return null;
  }
}

function rewrite(bytes: Uint8Array): Stacked | null {
  const model = fields(bytes, 0, bytes.length);
  const graph = model.find((f) => f.field === 7 && f.wire === 2);
  if (!graph) return null;
  const g = fields(bytes, graph.start, graph.end);
  if (g.some((f) => f.field === 15)) return null; // sparse initializers: not worth reading
  const names = new Set<string>();
  const uses = new Map<string, number>();
  const candidates = new Map<string, GraphInput>();
  const nodes: { field: Field; parts: Field[]; inputs: string[] }[] = [];
  for (const f of g) {
    if (f.wire !== 2) continue;
    if (f.field === 1) {
      const parts = fields(bytes, f.start, f.end);
      const inputs: string[] = [];
      for (const p of parts) {
        if (p.field === 1) inputs.push(text(bytes, p.start, p.end));
        else if (p.field === 2) names.add(text(bytes, p.start, p.end));
        else if (p.field === 5 && fields(bytes, p.start, p.end).some((a) => (a.field === 6 || a.field === 11) && a.wire === 2)) return null; // a subgraph may read any name
      }
      for (const name of inputs) uses.set(name, (uses.get(name) ?? 0) + 1);
      nodes.push({ field: f, parts, inputs });
    } else if (f.field === 11) {
      const input = doubleColumn(bytes, f);
      names.add(input.name);
      if (input.batchDim) candidates.set(input.name, input);
    } else if (f.field === 5 || f.field === 12 || f.field === 13) {
      // initializers (TensorProto.name is 8) and outputs are never stacked; value_info names stay taken
      const nameField = fields(bytes, f.start, f.end).find((p) => p.field === (f.field === 5 ? 8 : 1) && p.wire === 2);
      if (nameField) {
        const name = text(bytes, nameField.start, nameField.end);
        names.add(name);
        candidates.delete(name);
        uses.set(name, (uses.get(name) ?? 0) + 2);
      }
    }
  }
  const stacks: StackedInput[] = [];
  const replaced = new Map<Field, Uint8Array>();
  const removed = new Set<string>();
  for (const node of nodes) {
    if (!isConcatOnAxis1(bytes, node.parts)) continue;
    const runs: string[][] = [];
    let run: string[] = [];
    const end = () => {
      if (run.length >= 2) runs.push(run);
      run = [];
    };
    for (const name of node.inputs) {
      const input = candidates.get(name);
      if (input && uses.get(name) === 1 && (run.length === 0 || sameBytes(candidates.get(run[0])!.batchDim!, input.batchDim!))) run.push(name);
      else {
        end();
        if (input && uses.get(name) === 1) run.push(name);
      }
    }
    end();
    if (!runs.length) continue;
    const newInputs: string[] = [];
    let i = 0;
    while (i < node.inputs.length) {
      const r = runs.find((x) => x[0] === node.inputs[i]);
      if (!r) {
        newInputs.push(node.inputs[i++]);
        continue;
      }
      let name = `${r[0]}_to_${r[r.length - 1]}_stacked`;
      while (names.has(name)) name += '_';
      names.add(name);
      stacks.push({ name, columns: r });
      for (const c of r) removed.add(c);
      newInputs.push(name);
      i += r.length;
    }
    replaced.set(node.field, lengthField(1, join([...newInputs.map((n) => stringField(1, n)), ...node.parts.filter((p) => p.field !== 1).map((p) => copied(bytes, p))])));
  }
  if (!stacks.length) return null;
  const graphParts: Uint8Array[] = [];
  let inputsWritten = false;
  for (const f of g) {
    if (f.field === 11 && f.wire === 2 && removed.has(doubleColumn(bytes, f).name)) {
      if (!inputsWritten) {
        for (const s of stacks) graphParts.push(lengthField(11, stackedInput(s.name, candidates.get(s.columns[0])!.batchDim!, s.columns.length)));
        inputsWritten = true;
      }
      continue;
    }
    graphParts.push(replaced.get(f) ?? copied(bytes, f));
  }
  const modelParts = model.map((f) => (f === graph ? lengthField(7, join(graphParts)) : copied(bytes, f)));
  return { bytes: join(modelParts), stacks };
}

/** A graph input's name, and its batch dimension when it is a double [N, 1] tensor. */
function doubleColumn(bytes: Uint8Array, f: Field): GraphInput {
  let name = '';
  let batchDim: Uint8Array | null = null;
  for (const p of fields(bytes, f.start, f.end)) {
    if (p.field === 1 && p.wire === 2) name = text(bytes, p.start, p.end);
    else if (p.field === 2 && p.wire === 2) {
      const tensor = fields(bytes, p.start, p.end);
      if (tensor.length !== 1 || tensor[0].field !== 1 || tensor[0].wire !== 2) continue; // TypeProto.tensor_type only
      const t = fields(bytes, tensor[0].start, tensor[0].end);
      const elem = t.find((x) => x.field === 1 && x.wire === 0);
      const shape = t.find((x) => x.field === 2 && x.wire === 2);
      if (!elem || elem.value !== DOUBLE || !shape) continue;
      const dims = fields(bytes, shape.start, shape.end);
      if (dims.length !== 2 || dims.some((d) => d.field !== 1 || d.wire !== 2)) continue;
      const second = fields(bytes, dims[1].start, dims[1].end);
      if (second.length === 1 && second[0].field === 1 && second[0].wire === 0 && second[0].value === 1) batchDim = bytes.subarray(dims[0].start, dims[0].end);
    }
  }
  return { field: f, name, batchDim };
}

/** A default-domain Concat whose axis is 1. */
function isConcatOnAxis1(bytes: Uint8Array, parts: Field[]): boolean {
  let concat = false;
  let axis1 = false;
  for (const p of parts) {
    if (p.field === 4 && p.wire === 2) concat = text(bytes, p.start, p.end) === 'Concat';
    else if (p.field === 7 && p.wire === 2 && !['', 'ai.onnx'].includes(text(bytes, p.start, p.end))) return false;
    else if (p.field === 5 && p.wire === 2) {
      const a = fields(bytes, p.start, p.end);
      const name = a.find((x) => x.field === 1 && x.wire === 2);
      if (name && text(bytes, name.start, name.end) === 'axis') axis1 = a.some((x) => x.field === 3 && x.wire === 0 && x.value === 1);
    }
  }
  return concat && axis1;
}

/** ValueInfoProto of a double [batch, k] tensor. */
function stackedInput(name: string, batchDim: Uint8Array, k: number): Uint8Array {
  const shape = join([lengthField(1, batchDim), lengthField(1, varintField(1, k))]);
  const tensorType = join([varintField(1, DOUBLE), lengthField(2, shape)]);
  return join([stringField(1, name), lengthField(2, lengthField(1, tensorType))]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
