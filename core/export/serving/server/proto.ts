/**
 * The little of protobuf the server needs to read and rewrite an ONNX model without a protobuf
 * library (server.js has onnxruntime-node as its only dependency): the top-level fields of one
 * message, and writing fields back, so a message can be copied with some fields changed.
 */

export interface Field {
  field: number;
  wire: number;
  /** Where the whole field (key included) starts, for copying it unchanged. */
  at: number;
  /** Payload range for length-delimited fields (wire type 2); for a varint, value holds it. */
  start: number;
  end: number;
  /** A varint's value (exact below 2^53). */
  value: number;
}

/** The top-level fields of one protobuf message in bytes[start, end). Throws on malformed input. */
export function fields(bytes: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  let at = start;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= end) throw new Error('truncated varint');
      const b = bytes[at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new Error('varint too long');
  };
  while (at < end) {
    const first = at;
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const value = varint();
      out.push({ field, wire, at: first, start: at, end: at, value });
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4;
      out.push({ field, wire, at: first, start: at, end: at, value: 0 });
    } else if (wire === 2) {
      const length = varint();
      if (at + length > end) throw new Error('field past the end of its message');
      out.push({ field, wire, at: first, start: at, end: at + length, value: 0 });
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
  if (at !== end) throw new Error('field past the end of its message');
  return out;
}

const UTF8 = new TextDecoder();
export function text(bytes: Uint8Array, start: number, end: number): string {
  return UTF8.decode(bytes.subarray(start, end));
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A length-delimited field (a string, bytes or a message). */
export function lengthField(field: number, payload: Uint8Array): Uint8Array {
  return join([Uint8Array.from([...varintBytes(field * 8 + 2), ...varintBytes(payload.length)]), payload]);
}

/** A varint field (non-negative values). */
export function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varintBytes(field * 8), ...varintBytes(value)]);
}

export function stringField(field: number, value: string): Uint8Array {
  return lengthField(field, new TextEncoder().encode(value));
}

/** A field exactly as it was in `bytes` (key and payload). */
export function copied(bytes: Uint8Array, f: Field): Uint8Array {
  return bytes.subarray(f.at, f.end);
}

export function join(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
