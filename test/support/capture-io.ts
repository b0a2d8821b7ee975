import { Writable } from 'node:stream';

/** stdout/stderr stand-ins that record what the CLI printed. */
export function captureIo() {
  const chunks = { stdout: '', stderr: '' };
  const stream = (name: 'stdout' | 'stderr') =>
    Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          chunks[name] += String(chunk);
          done();
        },
      }),
      { isTTY: false },
    ) as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream('stdout'), stderr: stream('stderr') }, out: chunks };
}
