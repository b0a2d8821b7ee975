export async function square(payload: { v: number; spinMs: number }, io: { progress(f: number): void }): Promise<number> {
  const until = Date.now() + payload.spinMs;
  while (Date.now() < until) {
    // A tight loop: only terminating the worker can stop it.
  }
  io.progress(1);
  return payload.v * payload.v;
}
