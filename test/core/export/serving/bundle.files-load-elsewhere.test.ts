import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeBundle, type BundleResult } from '../../../../core/export/serving/bundle.ts';
import { PYTHON } from '../../../support/python.ts';
import { tinyBundle, tinyModel } from '../../../support/serving.ts';
import { tinyRegressor } from '../../../support/tiny-onnx.ts';

let bundle: BundleResult;
const hasPython = spawnSync(PYTHON, ['-c', 'import zipfile']).status === 0;

beforeAll(async () => {
  bundle = await tinyBundle({ challenger: tinyModel('tiny_v2', [0.1, 0.2, 0.3], 0), routing: { mode: 'canary', challengerPercent: 5 }, validation: { unknownCategory: 'reject', extraFields: 'reject' } });
});

const read = (path: string) => readFileSync(join(bundle.dir, path), 'utf8');

describe('the bundle files', () => {
  it('hold everything the issue lists, and the .zip holds the same files (read by Python\'s zipfile)', () => {
    for (const f of ['model.onnx', 'challenger/model.onnx', 'flowline-model.json', 'server.js', 'replay.js', 'package.json', 'package-lock.json', 'Dockerfile', 'openapi.json', 'README.md', 'golden/tiny.json', 'golden/tiny_v2.json', 'triton/tiny/config.pbtxt', 'triton/tiny/1/model.onnx']) {
      expect(bundle.files).toContain(f);
    }
    if (!hasPython) return console.warn('*** python3 not found: the .zip is not read back (apt-get install python3) ***');
    const r = spawnSync(PYTHON, ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(sorted(z.namelist())))', bundle.zip!], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(bundle.files.map((f) => `bundle/${f}`).sort());
  });

  it('the OpenAPI document is valid OpenAPI 3.1 and carries the input schema and the export policy', async () => {
    const doc = JSON.parse(read('openapi.json'));
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    const record = doc.components.schemas.Record;
    expect(record.required).toEqual(['x', 'flag', 'color']);
    expect(record.properties.color.enum).toEqual(['red', 'green', 'blue']);
    expect(record.properties.flag.type).toBe('boolean');
    expect(record.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/predict', '/invocations', '/v2/models/{model_name}/infer', '/metrics', '/v2/health/ready']));
  });

  it('the Dockerfile runs as a non-root user, has a health check, exposes 8080, stops on SIGTERM, and pins its base by version', () => {
    const lines = read('Dockerfile').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    const from = lines.filter((l) => /^FROM\s/i.test(l));
    expect(from).toHaveLength(1);
    const image = from[0].split(/\s+/)[1];
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim$/);
    expect(image).not.toMatch(/latest/);
    const user = lines.filter((l) => /^USER\s/i.test(l)).pop();
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
    expect(lines.some((l) => /^HEALTHCHECK\s.*CMD\s/.test(l))).toBe(true);
    expect(lines).toContain('EXPOSE 8080');
    expect(lines).toContain('STOPSIGNAL SIGTERM');
    expect(lines.find((l) => l.startsWith('ENTRYPOINT'))).toBe('ENTRYPOINT ["node", "server.js"]');
    expect(lines.some((l) => l.includes('npm ci --omit=dev'))).toBe(true);
  });

  it('package.json pins onnxruntime-node as the one dependency, and the lock lists it and its own dependencies only', () => {
    const pkg = JSON.parse(read('package.json'));
    const ours = JSON.parse(readFileSync(new URL('../../../../node_modules/onnxruntime-node/package.json', import.meta.url), 'utf8'));
    expect(pkg.dependencies).toEqual({ 'onnxruntime-node': ours.version });
    const lock = JSON.parse(read('package-lock.json'));
    expect(lock.packages['node_modules/onnxruntime-node'].version).toBe(ours.version);
    expect(lock.packages['node_modules/onnxruntime-common'].version).toBe(ours.version);
    for (const [path, entry] of Object.entries(lock.packages as Record<string, { integrity?: string; dev?: boolean }>)) {
      if (path === '') continue;
      expect(entry.integrity, path).toMatch(/^sha512-/);
      expect(entry.dev, path).toBeUndefined();
    }
    expect(Object.keys(lock.packages).some((p) => p.includes('zod') || p.includes('duckdb'))).toBe(false);
    // the server is one file with no require() but Node's own and onnxruntime-node
    const requires = [...read('server.js').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(requires.filter((r) => !r.startsWith('node:') && r !== 'onnxruntime-node')).toEqual([]);
  });

  it('the Triton repository declares one [1] input per column and the outputs the model gives', () => {
    const config = read('triton/tiny/config.pbtxt');
    expect(config).toContain('platform: "onnxruntime_onnx"');
    expect(config).toMatch(/name: "x"\s+data_type: TYPE_FP64\s+dims: \[ 1 \]/);
    expect(config).toMatch(/name: "color"\s+data_type: TYPE_STRING\s+dims: \[ 1 \]/);
    expect(config).toMatch(/name: "probabilities"\s+data_type: TYPE_FP64\s+dims: \[ 2 \]/);
    expect(config).toMatch(/name: "label"\s+data_type: TYPE_STRING\s+dims: \[ 1 \]\s+reshape: \{ shape: \[ \] \}/);
    expect(readFileSync(join(bundle.dir, 'triton/tiny/1/model.onnx'))).toEqual(readFileSync(join(bundle.dir, 'model.onnx')));
  });

  it('the manifest records both models, their outputs, the routing and the validation policy', () => {
    const m = JSON.parse(read('flowline-model.json'));
    expect(m.routing).toMatchObject({ mode: 'canary', challengerPercent: 5 });
    expect(m.validation).toMatchObject({ unknownCategory: 'reject', extraFields: 'reject' });
    expect(m.models[0].outputs).toEqual([{ name: 'label', datatype: 'BYTES', shape: [-1] }, { name: 'probabilities', datatype: 'FP64', shape: [-1, 2] }]);
    expect(m.models[1]).toMatchObject({ name: 'tiny_v2', role: 'challenger', file: 'challenger/model.onnx' });
    expect(read('README.md')).toContain('docker build -t');
  });

  it('refuses a model whose ONNX answers differ from the expected ones, and leaves the previous bundle in place', async () => {
    const wrong = { ...tinyModel('tiny'), onnx: tinyModel('x', [1, 1, 1], 1).onnx };
    await expect(writeBundle({ out: bundle.dir, champion: wrong })).rejects.toThrow(/does not give Flowline's answers on the golden rows: row \d+: got/);
    expect(JSON.parse(read('flowline-model.json')).models).toHaveLength(2);
  });

  it('refuses a challenger that reads a column the champion does not, naming it, and a folder that is not a bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-bundle-'));
    const regressor = { ...tinyModel('reg'), onnx: tinyRegressor(), task: 'regression' as const, classes: undefined, inputs: [{ name: 'y', kind: 'number' as const, onnxType: 'double' as const, nullable: false }] };
    await expect(writeBundle({ out: join(dir, 'b'), champion: tinyModel('tiny'), challenger: regressor })).rejects.toThrow(/challenger reads column "y"/);
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'notes.txt'), 'keep me');
    await expect(writeBundle({ out: join(dir, 'mine'), champion: tinyModel('tiny') })).rejects.toThrow(/not empty and is not a Flowline bundle/);
    expect(readFileSync(join(dir, 'mine', 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
