import type { FlatTree, Matrix } from '../types.ts';
import { sharedStateKey } from '../../model-sharing.ts';
import { PAGE_BYTES, WALK_LANES, kernelMemory, loadWalkKernels, sharedKernelMemory, type KernelMemory } from './tree-kernels.ts';

/**
 * The WebAssembly walk of a forest (tree-kernels.ts): the trees packed into one WebAssembly
 * memory, rows copied in by blocks, every tree walking the block.
 *
 * A packed forest is kept per thread, by the id of the shared model it comes from
 * (model-sharing.ts): a Predict worker walks the same model on every call. Predict's workers
 * can also share ONE packing (sharedForestPack): the host makes an empty shared memory per model,
 * kept while the model lives, and sends it with every row range; the first workers to get it
 * pack it together, tree by tree, and each then grows its own region for its blocks of rows.
 */

/** includes() compares with SameValueZero, so it finds NaN (and is native: no warm-up on a first call). */
export const anyNaN = (d: Float64Array): boolean => d.includes(NaN);

/**
 * Bytes of X per block of the WebAssembly walk. Large: every tree is read once per block, and a
 * forest of deep trees (megabytes of nodes) costs more to re-read than the rows do (measured:
 * 100 full-depth trees on 100k rows, 1.8 s with 1024-row blocks, 0.8 s with 32k-row blocks).
 */
const WALK_BLOCK_BYTES = 8 << 20;
/** Packed forests up to this size walk blocks of SMALL_FOREST_BLOCK_BYTES (measured: 100 trees of 31 leaves, 5% faster). */
const SMALL_FOREST_BYTES = 1 << 20;
const SMALL_FOREST_BLOCK_BYTES = 256 << 10;

/** High word of a packed leaf's threshold: a quiet NaN (x > NaN is false: no row leaves the leaf). */
const LEAF_NAN_HIGH = 0x7ff80000;

/** Where each tree's nodes and values go: nodes (16 bytes each), then the trees' value tables, up to `end`. */
interface Layout {
  treeAt: number[];
  valueAt: number[];
  depth: number[];
  end: number;
  /** Packed forests up to SMALL_FOREST_BYTES walk small blocks of rows. */
  small: boolean;
  /** A shared packing's flags (a claim counter, then one per tree: 1 = packed) start here. */
  flagsAt: number;
}

function sizes(trees: FlatTree[]): { nodes: number; values: number } {
  let nodes = 0;
  let values = 0;
  for (const tree of trees) {
    nodes += tree.feature.length;
    values += tree.value.length;
  }
  return { nodes, values };
}

function layoutOf(trees: FlatTree[], withDepth: boolean): Layout {
  const { nodes, values } = sizes(trees);
  const treeAt: number[] = [];
  const valueAt: number[] = [];
  const depth: number[] = [];
  for (let t = 0, base = 0, vbase = 0; t < trees.length; t++) {
    treeAt.push(base * 16);
    valueAt.push(nodes * 16 + vbase * 8);
    if (withDepth) depth.push(treeDepth(trees[t]));
    base += trees[t].feature.length;
    vbase += trees[t].value.length;
  }
  const end = nodes * 16 + values * 8;
  return { treeAt, valueAt, depth, end, small: end <= SMALL_FOREST_BYTES, flagsAt: (end + 15) & ~15 };
}

/** Bytes a shared packing of `trees` needs before the workers' block regions. */
const sharedBytes = (layout: Pick<Layout, 'flagsAt'>, trees: number) => layout.flagsAt + 4 * (1 + trees);

/**
 * Writes tree t at its place (see tree-kernels.ts for the node layout). A leaf's threshold is a
 * NaN carrying the byte offset of its values in its tree's table, written as two 32-bit words so
 * no engine canonicalises the NaN. Every byte of the tree's range is written, the same bytes on
 * every call: two threads packing the same tree at once write the same memory.
 */
function packTree(buffer: ArrayBufferLike, trees: FlatTree[], t: number, layout: Layout, hasNaN: boolean): void {
  const { feature, threshold, child, missingLeft, value, valueWidth: w } = trees[t];
  const at = layout.treeAt[t];
  const n = feature.length;
  const packedThreshold = new Float64Array(buffer, at, n * 2);
  const packedInts = new Int32Array(buffer, at, n * 4);
  for (let i = 0; i < n; i++) {
    if (feature[i] < 0) {
      packedInts[4 * i] = child[i] * w * 8;
      packedInts[4 * i + 1] = LEAF_NAN_HIGH;
      packedInts[4 * i + 2] = 0;
      packedInts[4 * i + 3] = at + i * 16;
    } else {
      packedThreshold[2 * i] = threshold[i];
      packedInts[4 * i + 2] = feature[i] * 8;
      packedInts[4 * i + 3] = (at + child[i] * 16) | (hasNaN && missingLeft[i] !== 1 ? 1 : 0);
    }
  }
  new Float64Array(buffer, layout.valueAt[t], value.length).set(value);
}

/** A forest packed for the walk, and this thread's region for its blocks of rows and outputs. */
interface PackedForest {
  memory: KernelMemory;
  layout: Layout;
  /** Packed with the NaN bit in its links: walked with the NaN-aware walk. */
  nan: boolean;
  blockAt: number;
  blockBytes: number;
  shared: boolean;
}

/** Forests packed (or joined) in this thread, by model id and NaN mode; at most PACKED_KEPT, the newest. */
const packedForests = new Map<string, PackedForest>();
const PACKED_KEPT = 2;

/** Forests packed since the process started, trees packed by this thread, and the bytes of nodes and values of the last packing (tests read them). */
export const packStats = { packs: 0, trees: 0, bytes: 0 };

const remember = <V>(map: Map<string, V>, key: string, value: V) => {
  map.set(key, value);
  for (const old of map.keys()) if (map.size > PACKED_KEPT) map.delete(old);
};

/** The id of a forest that lies in a shared model (the same in every thread), or null. */
function forestKey(trees: FlatTree[]): string | null {
  const model = sharedStateKey(trees[0].feature);
  return model === null ? null : `${model}:${trees[0].feature.byteOffset}:${trees.length}`;
}

function packLocal(trees: FlatTree[], hasNaN: boolean, blockBytes: (small: boolean) => number): PackedForest {
  const layout = layoutOf(trees, true);
  const memory = kernelMemory(Math.ceil((layout.end + blockBytes(layout.small)) / PAGE_BYTES));
  for (let t = 0; t < trees.length; t++) packTree(memory.buffer, trees, t, layout, hasNaN);
  packStats.packs++;
  packStats.trees += trees.length;
  packStats.bytes = layout.end;
  return { memory, layout, nan: hasNaN, blockAt: layout.end, blockBytes: memory.buffer.byteLength - layout.end, shared: false };
}

/** A packing the host offers Predict's workers: one shared memory per model and NaN mode. */
export interface SharedForestPack {
  key: string;
  memory: KernelMemory;
  nan: boolean;
}

/** The host's shared packings, by the model's trees (kept while the model lives). */
const offeredByTrees = new WeakMap<FlatTree[], SharedForestPack[]>();

/**
 * For the host, before it sends a model's rows to several workers: the shared packing of its
 * trees for rows like `rows` (made empty here, packed by the workers; the same one on every
 * later call), or null when the state holds no forest in shared memory or shared WebAssembly
 * memory is unavailable.
 */
export function sharedForestPack(state: unknown, rows: Float64Array): SharedForestPack | null {
  const trees = (state as { trees?: unknown } | null)?.trees;
  if (!Array.isArray(trees) || trees.length === 0 || !ArrayBuffer.isView((trees[0] as FlatTree).feature)) return null;
  const forest = trees as FlatTree[];
  const key = forestKey(forest);
  if (key === null) return null;
  const nan = anyNaN(rows);
  const list = offeredByTrees.get(forest) ?? [];
  const hit = list.find((p) => p.nan === nan);
  if (hit) return hit;
  const memory = sharedKernelMemory(Math.ceil(sharedBytes(layoutOf(forest, false), forest.length) / PAGE_BYTES));
  if (!memory) return null;
  const pack: SharedForestPack = { key: `${key}:${nan}`, memory, nan };
  offeredByTrees.set(forest, [...list, pack]);
  return pack;
}

/**
 * How far a shared packing of `state`'s trees got: trees packed, and claims made (the trees, plus
 * one last empty claim per thread that joined). Tests and benches read it.
 */
export function sharedPackProgress(state: unknown, pack: SharedForestPack): { packed: number; claims: number } {
  const trees = (state as { trees: FlatTree[] }).trees;
  const flags = new Int32Array(pack.memory.buffer, layoutOf(trees, false).flagsAt, 1 + trees.length);
  let packed = 0;
  for (let t = 0; t < trees.length; t++) packed += Atomics.load(flags, 1 + t);
  return { packed, claims: Atomics.load(flags, 0) };
}

/** Shared packings this worker was sent, by key (the newest PACKED_KEPT). */
const offered = new Map<string, SharedForestPack>();

/** For a worker: the host's shared packing for the model it is about to walk (see sharedForestPack). */
export function offerSharedPack(pack: SharedForestPack): void {
  remember(offered, pack.key, pack);
}

/**
 * Packs, with whichever other threads join at the same time, the trees of a shared packing:
 * each thread claims the next unpacked tree until none is left, then packs any tree another
 * thread claimed but has not finished (the same bytes, so a thread that died halfway or is
 * still writing does no harm). No thread waits for another.
 */
function joinShared(trees: FlatTree[], pack: SharedForestPack): PackedForest {
  const layout = layoutOf(trees, true);
  const { memory, nan } = pack;
  const flags = new Int32Array(memory.buffer, layout.flagsAt, 1 + trees.length);
  let packed = 0;
  for (let t = Atomics.add(flags, 0, 1); t < trees.length; t = Atomics.add(flags, 0, 1)) {
    packTree(memory.buffer, trees, t, layout, nan);
    Atomics.store(flags, 1 + t, 1);
    packed++;
  }
  for (let t = 0; t < trees.length; t++) {
    if (Atomics.load(flags, 1 + t) === 1) continue;
    packTree(memory.buffer, trees, t, layout, nan);
    Atomics.store(flags, 1 + t, 1);
    packed++;
  }
  if (packed > 0) {
    packStats.packs++;
    packStats.trees += packed;
    packStats.bytes = layout.end;
  }
  return { memory, layout, nan, blockAt: 0, blockBytes: 0, shared: true };
}

/** This thread's packed forest for `trees` and rows with (or without) NaN, packing or joining one if needed. */
function packedFor(trees: FlatTree[], hasNaN: boolean, blockBytes: (small: boolean) => number): PackedForest {
  const key = forestKey(trees);
  if (key === null) return packLocal(trees, hasNaN, blockBytes);
  // A forest packed with the NaN bit serves rows without NaN too (with the NaN-aware walk).
  for (const nan of hasNaN ? [true] : [false, true]) {
    const mine = packedForests.get(`${key}:${nan}`);
    if (mine) return mine;
    const pack = offered.get(`${key}:${nan}`);
    if (pack) {
      const joined = joinShared(trees, pack);
      remember(packedForests, pack.key, joined);
      return joined;
    }
  }
  const packed = packLocal(trees, hasNaN, blockBytes);
  remember(packedForests, `${key}:${hasNaN}`, packed);
  return packed;
}

/** Makes sure `packed` has a block region of `bytes` for this thread: grows the memory (a shared memory grows a new region per thread). */
function reserveBlocks(packed: PackedForest, bytes: number): void {
  if (packed.blockBytes >= bytes) return;
  if (packed.shared) {
    const pages = Math.ceil(bytes / PAGE_BYTES);
    // grow() returns the size before, atomically: the pages from there on are this thread's alone.
    packed.blockAt = packed.memory.grow(pages) * PAGE_BYTES;
    packed.blockBytes = pages * PAGE_BYTES;
  } else {
    const need = packed.blockAt + bytes - packed.memory.buffer.byteLength;
    if (need > 0) packed.memory.grow(Math.ceil(need / PAGE_BYTES));
    packed.blockBytes = packed.memory.buffer.byteLength - packed.blockAt;
  }
}

/**
 * addForestPredictions with the WebAssembly walk. Returns false, having done nothing, where the
 * kernels are unavailable.
 */
export function walkForest(trees: FlatTree[], X: Matrix, out: Float64Array, outWidth: number, outOffset: (t: number) => number, weight: number, blockBytes: number | undefined): boolean {
  const { cols, rows, data } = X;
  const lanes = (m: number) => Math.ceil(m / WALK_LANES) * WALK_LANES;
  // A forest that fits in a core's cache (boosting's small trees) walks small blocks of rows, so
  // the rows stay cached too across its trees; deep forests walk large ones (see WALK_BLOCK_BYTES).
  const blockOf = (small: boolean) => {
    const bytes = blockBytes ?? (small ? SMALL_FOREST_BLOCK_BYTES : WALK_BLOCK_BYTES);
    return Math.min(lanes(rows), Math.max(WALK_LANES, Math.floor(bytes / (cols * 8 * WALK_LANES)) * WALK_LANES));
  };
  const blockSpace = (small: boolean) => blockOf(small) * (cols + outWidth) * 8;
  // The NaN-aware walk (and the NaN bit in the links) only where some row has a NaN.
  const packed = packedFor(trees, anyNaN(data), blockSpace);
  const { memory, layout, nan } = packed;
  const { treeAt, valueAt, depth, small } = layout;
  reserveBlocks(packed, blockSpace(small));
  const block = blockOf(small);
  const xAt = packed.blockAt;
  const outAt = xAt + block * cols * 8;
  const kernels = loadWalkKernels(memory, cols * 8);
  if (!kernels) return false;
  const walkWide = nan ? kernels.walk : kernels.walkNoNaN;
  const walkOne = nan ? kernels.walk1 : kernels.walk1NoNaN;
  const x = new Float64Array(memory.buffer, xAt, block * cols);
  const outBlock = new Float64Array(memory.buffer, outAt, block * outWidth);
  const offsets = trees.map((_, t) => outAt + outOffset(t) * 8);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const n = Math.min(block, rows - r0);
    const rowsOfBlock = data.subarray(r0 * cols, (r0 + n) * cols);
    x.set(rowsOfBlock);
    outBlock.set(out.subarray(r0 * outWidth, (r0 + n) * outWidth));
    // Rows past n (up to a multiple of WALK_LANES) hold stale numbers: walked, never read back.
    for (let t = 0; t < trees.length; t++) {
      const width = trees[t].valueWidth;
      (width === 1 ? walkOne : walkWide)(treeAt[t], depth[t], xAt, cols * 8, lanes(n), offsets[t], outWidth * 8, valueAt[t], width * 8, weight);
    }
    out.set(outBlock.subarray(0, n * outWidth), r0 * outWidth);
  }
  return true;
}

/** Depth of the deepest leaf (root = 0). */
export function treeDepth(tree: FlatTree): number {
  const depth = new Int32Array(tree.feature.length);
  let max = 0;
  for (let i = 0; i < tree.feature.length; i++) {
    if (tree.feature[i] >= 0) {
      depth[tree.child[i]] = depth[i] + 1;
      depth[tree.child[i] + 1] = depth[i] + 1;
    } else if (depth[i] > max) max = depth[i];
  }
  return max;
}
