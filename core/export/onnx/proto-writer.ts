/**
 * The graph's nodes written as protobuf bytes by hand: a tree ensemble's node attributes hold
 * millions of numbers, and onnx-proto's generated encoder makes an object for every int64 it
 * writes (a 100-tree forest on 100k rows spent more time collecting that garbage than doing
 * anything else). Packed numbers here go straight into one growing buffer. Everything else (the
 * model, the graph's inputs, outputs and initializers, tensors inside attributes) is still
 * onnx-proto's: graph.ts splices these bytes into its output (protobuf fields may come in any
 * order, and a repeated field's items keep theirs).
 *
 * Field numbers are onnx.proto's: NodeProto input 1, output 2, name 3, op_type 4, attribute 5,
 * domain 7; AttributeProto name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20.
 */

/** A growing byte buffer with protobuf's wire encodings. */
export class ProtoWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** An unsigned varint; `v` a non-negative integer below 2^53. */
  varint(v: number): this {
    this.room(10);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
    return this;
  }

  /** An int64 as protobuf writes it: a negative value is its 64-bit two's complement (10 bytes). */
  int64(v: number): this {
    if (!Number.isSafeInteger(v)) throw new Error(`ONNX int64 attribute value ${v} is not a whole number within 2^53`);
    if (v >= 0) return this.varint(v);
    let u = BigInt.asUintN(64, BigInt(v));
    this.room(10);
    while (u >= 0x80n) {
      this.buf[this.length++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.length++] = Number(u);
    return this;
  }

  tag(field: number, wire: 0 | 1 | 2 | 5): this {
    return this.varint(field * 8 + wire);
  }

  float32(v: number): this {
    this.room(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
    return this;
  }

  /** Length-prefixed bytes (a string, a bytes field, a nested message, a packed list). */
  bytes(b: Uint8Array): this {
    this.varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Bytes as they are (an encoded field or run of fields). */
  raw(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** A length-delimited field whose content `write` appends to this writer (its length is patched in after). */
  nested(field: number, write: (w: this) => void): this {
    this.tag(field, 2);
    // Reserve the most a length can take here (5 bytes: up to 4 GB), write, then move the content
    // back over the unused bytes of the reservation.
    this.room(5);
    const at = this.length;
    this.length += 5;
    write(this);
    const size = this.length - at - 5;
    const head: number[] = [];
    let v = size;
    while (v >= 0x80) {
      head.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    head.push(v);
    this.buf.copyWithin(at + head.length, at + 5, this.length);
    this.buf.set(head, at);
    this.length -= 5 - head.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();

/** Strings written many times (a tree ensemble's node modes) are encoded once. */
export class StringBytes {
  private readonly seen = new Map<string, Uint8Array>();

  of(s: string): Uint8Array {
    let b = this.seen.get(s);
    if (!b) this.seen.set(s, (b = utf8.encode(s)));
    return b;
  }
}

/** An attribute as the writer takes it: its ONNX type number and its value. */
export type AttributeValue =
  | { type: number; i: number }
  | { type: number; f: number }
  | { type: number; s: Uint8Array }
  | { type: number; t: Uint8Array }
  | { type: number; ints: ArrayLike<number> }
  | { type: number; floats: ArrayLike<number> }
  | { type: number; strings: ArrayLike<string> };

export interface NodeValue {
  opType: string;
  domain: string;
  input: string[];
  output: string[];
  name: string;
  attribute: { name: string; value: AttributeValue }[];
}

/** One NodeProto, as field `field` of the message `w` is writing (GraphProto's node is 1). */
export function writeNode(w: ProtoWriter, field: number, node: NodeValue, strings: StringBytes): void {
  w.nested(field, (n) => {
    for (const s of node.input) n.tag(1, 2).bytes(strings.of(s));
    for (const s of node.output) n.tag(2, 2).bytes(strings.of(s));
    n.tag(3, 2).bytes(strings.of(node.name));
    n.tag(4, 2).bytes(strings.of(node.opType));
    for (const a of node.attribute) n.nested(5, (m) => writeAttribute(m, a.name, a.value, strings));
    if (node.domain) n.tag(7, 2).bytes(strings.of(node.domain));
  });
}

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue, strings: StringBytes): void {
  w.tag(1, 2).bytes(strings.of(name));
  if ('i' in a) w.tag(3, 0).int64(a.i);
  else if ('f' in a) w.tag(2, 5).float32(a.f);
  else if ('s' in a) w.tag(4, 2).bytes(a.s);
  else if ('t' in a) w.tag(5, 2).bytes(a.t);
  else if ('ints' in a) {
    const v = a.ints;
    if (v.length) w.nested(8, (m) => {
      for (let k = 0; k < v.length; k++) m.int64(v[k]);
    });
  } else if ('floats' in a) {
    const v = a.floats;
    if (v.length) w.nested(7, (m) => {
      for (let k = 0; k < v.length; k++) m.float32(v[k]);
    });
  } else {
    for (let k = 0; k < a.strings.length; k++) w.tag(9, 2).bytes(strings.of(a.strings[k]));
  }
  w.tag(20, 0).varint(a.type);
}
