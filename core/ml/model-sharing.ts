/**
 * A fitted state's large typed arrays moved into ONE SharedArrayBuffer, so that sending the
 * state to worker threads copies no numbers: structured clone passes a view on shared memory as
 * a reference. Predict splits its rows over the pool's workers; with a plain state each worker
 * got its own copy of the model (a 100-tree forest is tens of MB, serialised on the host thread
 * once per worker per call), which made two workers slower than one thread.
 *
 * The shared copy is made once per state object and kept while the state lives (WeakMap): a
 * model predicted again (the next run, the next batch) crosses to the workers for free. The
 * numbers are the state's own, bit for bit; the original state is not touched.
 */

/** States whose typed arrays hold fewer bytes than this are sent as they are (cloning is cheap). */
const MIN_SHARED_BYTES = 1 << 20;

const shared = new WeakMap<object, unknown>();

/** Shared copies made since the process started (tests count them). */
export const sharedStateStats = { copies: 0 };

/**
 * Every shared copy's buffer starts with HEADER_BYTES: MAGIC, then a random 64-bit id. A worker
 * receives a new SharedArrayBuffer object per message, but the bytes (and so the id) are the
 * model's: what lets it keep work derived from the model (a packed forest) across calls.
 */
const HEADER_BYTES = 16;
const MAGIC = 0x464c5348; // "FLSH"

type TypedArray = ArrayBufferView & { readonly length: number };
const isTypedArray = (v: unknown): v is TypedArray => ArrayBuffer.isView(v) && !(v instanceof DataView);
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Typed arrays (not already shared) reachable through plain objects and arrays. */
function collect(v: unknown, out: TypedArray[]): void {
  if (isTypedArray(v)) {
    if (!(v.buffer instanceof SharedArrayBuffer)) out.push(v);
  } else if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (isPlain(v)) for (const x of Object.values(v)) collect(x, out);
}

/** The same structure with every collected typed array replaced by its shared view. */
function rebuild(v: unknown, views: Map<TypedArray, TypedArray>): unknown {
  if (isTypedArray(v)) return views.get(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => rebuild(x, views));
  if (isPlain(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = rebuild(x, views);
    return o;
  }
  return v;
}

/**
 * `state` with its typed arrays on one SharedArrayBuffer (the same object on every later call),
 * or `state` itself when it is small, holds no typed arrays, or shared memory is unavailable.
 */
export function sharedState<T>(state: T): T {
  if (typeof SharedArrayBuffer === 'undefined' || state === null || typeof state !== 'object') return state;
  const hit = shared.get(state as object);
  if (hit !== undefined) return hit as T;
  const arrays: TypedArray[] = [];
  collect(state, arrays);
  const unique = [...new Set(arrays)];
  let bytes = 0;
  for (const a of unique) bytes += (a.byteLength + 7) & ~7;
  if (bytes < MIN_SHARED_BYTES) {
    shared.set(state as object, state);
    return state;
  }
  const buffer = new SharedArrayBuffer(HEADER_BYTES + bytes);
  const header = new Uint32Array(buffer, 0, 4);
  header[0] = MAGIC;
  header[2] = (Math.random() * 2 ** 32) >>> 0;
  header[3] = (Math.random() * 2 ** 32) >>> 0;
  const views = new Map<TypedArray, TypedArray>();
  let at = HEADER_BYTES;
  for (const a of unique) {
    const Ctor = a.constructor as new (b: SharedArrayBuffer, offset: number, length: number) => TypedArray;
    const view = new Ctor(buffer, at, a.length);
    new Uint8Array(buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    views.set(a, view);
    at += (a.byteLength + 7) & ~7;
  }
  const copy = rebuild(state, views) as T;
  shared.set(state as object, copy);
  sharedStateStats.copies++;
  return copy;
}

/**
 * The id of the shared copy `view` lies in (a string the same in every thread and every call),
 * or null when it is not in one.
 */
export function sharedStateKey(view: ArrayBufferView): string | null {
  const buffer = view.buffer;
  if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer) || buffer.byteLength < HEADER_BYTES) return null;
  const header = new Uint32Array(buffer, 0, 4);
  return header[0] === MAGIC ? `${header[2].toString(16)}-${header[3].toString(16)}` : null;
}

/**
 * `data` in shared memory: itself when it already is, else one copy (null where shared memory is
 * unavailable). Predict hands row ranges of it to several workers as views, which cross for free;
 * a plain slice per worker would be copied twice (sliced here, cloned on arrival).
 */
export function sharedRows(data: Float64Array): Float64Array | null {
  if (typeof SharedArrayBuffer === 'undefined') return null;
  if (data.buffer instanceof SharedArrayBuffer) return data;
  const copy = new Float64Array(new SharedArrayBuffer(data.byteLength));
  copy.set(data);
  return copy;
}
