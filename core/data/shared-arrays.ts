/**
 * Typed arrays on shared memory, for buffers a streamed loop reuses chunk after chunk (Predict and
 * Evaluate past memory): a view on a SharedArrayBuffer crosses to a worker as a reference, so the
 * same bytes are read and written by the host and the pool without a copy or a transfer, and the
 * next chunk fills them again instead of leaving the last one's to the garbage collector.
 */

/** Shared buffers made since the process started (tests count them: a long run must make a fixed number). */
export const sharedArrayStats = { allocated: 0 };

/** Is shared memory available here? (Without it, callers allocate as they always have.) */
export const canShare = (): boolean => typeof SharedArrayBuffer !== 'undefined';

/** A Float64Array of `n` zeros on a SharedArrayBuffer of its own. */
export function sharedFloat64(n: number): Float64Array {
  sharedArrayStats.allocated++;
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

/** An Int32Array of `n` zeros on a SharedArrayBuffer of its own. */
export function sharedInt32(n: number): Int32Array {
  sharedArrayStats.allocated++;
  return new Int32Array(new SharedArrayBuffer(n * 4));
}

/** Is `a` a view on shared memory? (Such a view cannot be transferred, and need not be.) */
export const isShared = (a: ArrayBufferView): boolean => canShare() && a.buffer instanceof SharedArrayBuffer;
