/**
 * The served model's onnxruntime session, run on this thread when it is called.
 *
 * onnxruntime-node's public `InferenceSession.run` checks its arguments, then waits for the next
 * turn of the event loop (a setImmediate) before the native run, and wraps the outcome in two
 * promises. The native run itself is synchronous: it already happens on this thread. For a
 * one-row request that wrapper cost about as much as the 100-tree forest's run (~22 µs against
 * ~13 µs native, measured in one process). So the server creates the session through the
 * package's native binding, with the options the public `create` passes it, and calls its run
 * directly. The model, the options and the native code are the same, so every answer keeps its
 * bits (a test compares both ways).
 *
 * The binding is not part of the package's documented API: `package.json` pins onnxruntime-node's
 * exact version, and when the binding is missing or looks different the public API is used.
 */
import * as ort from 'onnxruntime-node';

export type Results = Record<string, ort.Tensor>;

export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The model's outputs for `feeds`; `fetches` maps each wanted output name to null. */
  run(feeds: Record<string, ort.Tensor>, fetches: Record<string, null>): Results | Promise<Results>;
  /** "native" or "public": how runs reach onnxruntime (for the start-up log line). */
  readonly via: 'native' | 'public';
}

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: { name: string }[];
  readonly outputMetadata: { name: string }[];
  run(feeds: Record<string, ort.Tensor>, fetches: Record<string, null>, options: object): Results;
}

interface Binding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

async function nativeBinding(): Promise<Binding | null> {
  try {
    const b = (await import('onnxruntime-node/dist/binding.js')) as unknown as Partial<Binding>;
    if (typeof b.initOrt !== 'function' || typeof b.binding?.InferenceSession !== 'function') return null;
    const proto = b.binding.InferenceSession.prototype as Partial<NativeSession>;
    return typeof proto.run === 'function' && typeof proto.loadModel === 'function' ? (b as Binding) : null;
  } catch {
    return null;
  }
}

const NO_RUN_OPTIONS = {};

/** A session for `bytes`: the native one when the binding is there, else onnxruntime-node's public one. */
export async function createSession(bytes: Uint8Array, options: ort.InferenceSession.SessionOptions, allowNative = true): Promise<Session> {
  const b = allowNative ? await nativeBinding() : null;
  if (b) {
    b.initOrt();
    const native = new b.binding.InferenceSession();
    // what the public create passes: the options, with the execution providers it found available (none asked)
    native.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, { ...options, executionProviders: [] });
    const inputNames = native.inputMetadata.map((m) => m.name);
    const outputNames = native.outputMetadata.map((m) => m.name);
    return { inputNames, outputNames, via: 'native', run: (feeds, fetches) => native.run(feeds, fetches, NO_RUN_OPTIONS) };
  }
  const session = await ort.InferenceSession.create(bytes, options);
  return { inputNames: session.inputNames, outputNames: session.outputNames, via: 'public', run: (feeds, fetches) => session.run(feeds, fetches) as Promise<Results> };
}
