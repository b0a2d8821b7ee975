/**
 * `node replay.js [URL]`: send the bundle's golden requests to a running server over every
 * protocol and check the answers against what Flowline predicted at export time. Exit 0 when all
 * match, 1 otherwise. Plain Node (fetch), no dependencies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { answerOf, compareAnswer, goldenRequest, PROTOCOLS, type Golden } from './golden.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.ts';
import { v2Datatype } from './protocols.ts';

async function main(): Promise<number> {
  const url = (process.argv[2] ?? `http://127.0.0.1:${process.env.PORT || 8080}`).replace(/\/$/, '');
  const dir = resolve(process.env.FLOWLINE_MODEL_DIR || dirname(process.argv[1] ?? '.'));
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const files = readdirSync(join(dir, 'golden')).filter((f) => f.endsWith('.json'));
  let failed = 0;
  for (const file of files) {
    const golden = JSON.parse(readFileSync(join(dir, 'golden', file), 'utf8')) as Golden;
    const model = manifest.models.find((m) => m.name === golden.model_name);
    const datatypes = Object.fromEntries((model?.inputs ?? []).map((c) => [c.name, v2Datatype(c.kind)]));
    for (const protocol of PROTOCOLS) {
      const call = goldenRequest(golden, protocol, datatypes);
      let problems: string[];
      try {
        // Pin the model: with an A/B split the routed answer could come from the other one.
        const res = await fetch(`${url}${call.path}`, { method: 'POST', headers: { 'content-type': call.contentType, 'x-flowline-model': golden.model_name }, body: call.body });
        const body = (await res.json()) as Record<string, unknown>;
        problems = res.ok ? compareAnswer(golden, answerOf(protocol, body)) : [`HTTP ${res.status}: ${JSON.stringify(body.error ?? body)}`];
      } catch (e) {
        problems = [`request failed: ${(e as Error).message}`];
      }
      const label = `${golden.model_name} ${protocol.padEnd(20)} ${golden.rows.length} rows`;
      if (problems.length === 0) process.stdout.write(`ok    ${label}\n`);
      else {
        failed++;
        process.stdout.write(`FAIL  ${label}\n${problems.map((p) => `        ${p}`).join('\n')}\n`);
      }
    }
  }
  process.stdout.write(failed ? `${failed} replay(s) failed against ${url}\n` : `all golden requests match at ${url}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`replay: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
