/** The bundle's README: what is in it, how to run it (node, Docker, KServe), how to call it. */
import type { Manifest } from './server/manifest.ts';
import { v2Datatype } from './server/protocols.ts';
import { SETTINGS } from './server/settings.ts';
import { tritonName } from './triton.ts';

function metricsLine(m: Record<string, Record<string, number>>): string {
  const parts = Object.entries(m).flatMap(([scope, values]) => Object.entries(values).slice(0, 6).map(([k, v]) => `${scope} ${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`));
  return parts.length ? parts.join(', ') : '—';
}

export function bundleReadme(manifest: Manifest, image: string): string {
  const [champion, challenger] = manifest.models;
  const record = JSON.stringify(champion.warmup);
  const columns = champion.inputs.map((c) => c.name);
  const v2Inputs = champion.inputs.map((c) => ({
    name: c.name,
    datatype: v2Datatype(c.kind),
    shape: [1, 1],
    data: [champion.warmup[c.name]],
  }));
  const csvHeader = columns.join(',');
  const csvRow = columns.map((c) => {
    const v = champion.warmup[c];
    return v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  });
  const routing = manifest.routing;
  return `# ${champion.name} — Flowline model server

${champion.task} model${champion.target ? ` predicting \`${champion.target}\`` : ''} (${champion.learner}), version \`${champion.version}\`, exported by Flowline ${champion.lineage.flowlineVersion}.
Metrics at export: ${metricsLine(champion.metrics)}.
${challenger ? `\nChallenger: \`${challenger.name}\` version \`${challenger.version}\` (${challenger.learner}); routing: **${routing.mode}**${routing.mode === 'shadow' ? '' : `, ${routing.challengerPercent}% to the challenger`}. Metrics: ${metricsLine(challenger.metrics)}.\n` : ''}
## What is here

| file | what |
| --- | --- |
| \`model.onnx\` | the model (raw columns in, prediction out), verified against Flowline's own predictions at export |
| \`flowline-model.json\` | input schema, classes, metrics, lineage, routing and validation policy |
| \`server.js\` | the HTTP server (one file; its only dependency is onnxruntime-node, pinned in \`package.json\`) |
| \`openapi.json\` | OpenAPI 3.1 description of every route (also served at \`/openapi.json\`) |
| \`golden/\` + \`replay.js\` | held-out rows with the answers Flowline gave, and a script that checks a running server against them |
| \`Dockerfile\` | pinned Node slim image, non-root user, health check, port 8080 |
| \`triton/\` | a Triton model repository (\`config.pbtxt\` + \`1/model.onnx\`) for Triton or KServe without this server |
${challenger ? '| `challenger/model.onnx` | the challenger model |\n' : ''}
## Run it

With Node.js 20 or later:

\`\`\`sh
npm ci                # installs onnxruntime-node only
node server.js        # listens on :8080; ready once /v2/health/ready answers 200
node replay.js        # in another shell: golden requests over every protocol, exit 0 when all match
\`\`\`

With Docker (the build needs the npm registry; the image runs offline):

\`\`\`sh
docker build -t ${image} .
docker run --rm -p 8080:8080 ${image}
\`\`\`

## Call it

\`\`\`sh
# plain: one record (or a list of them) → prediction${champion.classes ? ', probabilities' : ''}, model version
curl -s localhost:8080/predict -H 'Content-Type: application/json' -d '${record}'

# MLflow / SageMaker
curl -s localhost:8080/invocations -H 'Content-Type: application/json' -d '{"dataframe_records": [${record}]}'
curl -s localhost:8080/invocations -H 'Content-Type: text/csv' --data-binary $'${csvHeader}\\n${csvRow.join(',').replace(/'/g, "\\'")}'

# Open Inference Protocol v2 (KServe, Triton clients, MLServer): one input per column
curl -s localhost:8080/v2/models/${champion.name}/infer -H 'Content-Type: application/json' -d '${JSON.stringify({ parameters: { content_type: 'pd' }, inputs: v2Inputs })}'

curl -s localhost:8080/v2/models/${champion.name}     # input and output metadata
curl -s localhost:8080/metrics                          # Prometheus
\`\`\`

Bad input gets a 4xx JSON answer naming the field and the row, e.g.
\`{"error":"Row 0: field \\"${columns[0]}\\" is missing.","code":"MISSING_FIELD","field":"${columns[0]}","row":0}\`:
400 malformed (invalid JSON, wrong shape, empty batch), 408 body too slow, 413 body or rows over the limit,
415 wrong Content-Type, 422 values that do not fit the schema (missing field, wrong type, number sent
as a string, unknown category when rejected, extra field when rejected, NaN/Infinity, null where the
model had no missing values).

## Deploy on KServe

This server as a custom predictor (all protocols, metrics, champion/challenger):

\`\`\`yaml
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${tritonName(champion.name).toLowerCase().replace(/[^a-z0-9-]/g, '-')}
spec:
  predictor:
    containers:
      - name: kserve-container
        image: registry.example.com/${image}
        ports:
          - containerPort: 8080
            protocol: TCP
        readinessProbe:
          httpGet: { path: /v2/health/ready, port: 8080 }
        livenessProbe:
          httpGet: { path: /v2/health/live, port: 8080 }
\`\`\`

Or the ONNX model alone on KServe's Triton runtime: copy \`triton/${tritonName(champion.name)}/\` to a storage bucket and use
\`modelFormat: {name: onnx}\`, \`protocolVersion: v2\`, \`storageUri\` pointing at it.

## Settings (environment variables)

| variable | default | meaning |
| --- | --- | --- |
${SETTINGS.map((s) => `| \`${s.env}\` | ${s.defaultText} | ${s.description} |`).join('\n')}

Export-time choices ("from manifest"): unknown categories **${manifest.validation.unknownCategory}**, extra fields **${manifest.validation.extraFields}**,
at most **${manifest.validation.maxRows}** rows and **${manifest.validation.maxBodyBytes}** bytes per request.

## Operations

- \`/v2/health/live\` answers as soon as the process listens; \`/v2/health/ready\` and \`/ping\` answer 200 only after each model has scored a warm-up row.
- SIGTERM: readiness turns 503, the port stops accepting, in-flight requests finish (up to \`FLOWLINE_SHUTDOWN_GRACE_MS\`), exit 0.
- One JSON line per request on stdout (\`event: "request"\`, route, status, duration_ms, rows, model), errors as \`level: "error"\` lines.
- \`/metrics\`: \`flowline_http_requests_total{route,status}\`, \`flowline_http_request_duration_seconds\`, \`flowline_model_requests_total\`,
  \`flowline_model_rows_total\`, \`flowline_model_inference_duration_seconds\`, \`flowline_model_predictions_total{class}\` (classifiers) or
  \`flowline_model_prediction_value\` (regression), labelled \`model_name\`, \`model_version\`, \`role\` and \`mode\` (answered or shadow);
  \`flowline_shadow_comparisons_total{result="agree|disagree"}\` in shadow mode.

## Champion and challenger

\`FLOWLINE_ROUTING\`: \`single\` (champion only), \`ab\` (the challenger answers \`FLOWLINE_CHALLENGER_PERCENT\`% of requests),
\`canary\` (the same, and a challenger failure is answered by the champion), \`shadow\` (both score every request; the champion answers).
Requests with the header \`${routing.keyHeader}\` always go to the same model (hash of the key); without it the share is spread evenly.
The answering model is in the \`x-flowline-model\` response header; send that header to ask for one model directly.

## Request log (for drift checks)

\`FLOWLINE_REQUEST_LOG=/data/requests.jsonl\` writes a sample (\`FLOWLINE_REQUEST_LOG_SAMPLE\`) of requests, one JSON object per line:
\`{"time","request_id","route","model_name","model_version","role","mode","rows","inputs":{"column":[values]},"predictions":[...],"probabilities":[[...]]}\`.
At \`FLOWLINE_REQUEST_LOG_MAX_BYTES\` the file moves to \`requests.jsonl.1\` and a new one starts.
`;
}
