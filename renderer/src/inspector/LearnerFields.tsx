import { useEffect, useState } from 'react';
import type { CatalogNode, Diagnostic } from '../../../core/host/api.ts';
import type { PipelineNode } from '../../../core/schema/pipeline.ts';
import { unwrap, type JsonSchema } from '../lib/params.ts';
import { acceptsValue, isAdvancedSetting, learnerVariants, rangeText, type LearnerVariant } from '../lib/learners.ts';
import { setLearnerParam, switchLearner } from '../store/commands.ts';
import { ParamField, ScalarInput } from './ParamField.tsx';

/**
 * The learner and its settings as a form, from the node's params schema (one branch per learner):
 * numbers with their range, choices as selects, rarely-touched solver knobs under "Advanced", and
 * the JSON view of `learner_params` one click away.
 */
export function LearnerFields({ node, spec, problems }: { node: PipelineNode; spec: CatalogNode; problems: Diagnostic[] }) {
  const hostProblem = (dotted: string) => problems.find((d) => d.path?.join('.') === dotted)?.message;
  const variants = learnerVariants(spec);
  const learnerSchema = unwrap(((spec.paramsSchema as JsonSchema).properties ?? {}).learner ?? {});
  const current = (node.params.learner ?? learnerSchema.default) as string | undefined;
  const variant = variants.find((v) => v.learner === current);
  const [json, setJson] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  const settings = (node.params.learner_params ?? {}) as Record<string, unknown>;
  const entries = variant ? Object.entries(variant.settings) : [];
  const basic = entries.filter(([n, s]) => !isAdvancedSetting(n, s));
  const extra = entries.filter(([n, s]) => isAdvancedSetting(n, s));
  // Problems with the settings as a whole, or with one the form does not show (an unknown name).
  const shownPaths = new Set(entries.map(([n]) => `learner_params.${n}`));
  const loose = problems.filter((d) => d.path?.[0] === 'learner_params' && !shownPaths.has(d.path.join('.')));
  const field = ([name, schema]: [string, LearnerVariant['settings'][string]]) => (
    <Setting key={`${current}.${name}`} nodeId={node.id} name={name} schema={schema} value={settings[name]} hostProblem={hostProblem(`learner_params.${name}`)} />
  );

  return (
    <>
      <div className="field" data-testid="param-learner">
        <label className="field__label" htmlFor="param-learner-input">learner</label>
        <select id="param-learner-input" className="input" value={current ?? ''} onChange={(e) => switchLearner(node.id, e.target.value)}>
          {variants.map((v) => (
            <option key={v.learner} value={v.learner}>{v.title}</option>
          ))}
        </select>
        {learnerSchema.description && <p className="field__help">{learnerSchema.description}</p>}
        {hostProblem('learner') && <p className="field__error" role="alert">{hostProblem('learner')}</p>}
      </div>
      <fieldset className="learner-settings" data-testid="learner-settings">
        <legend>
          Settings of {variant?.title ?? current}
          <button type="button" className="link-button" onClick={() => setJson((j) => !j)} aria-pressed={json} data-testid="learner-settings-json">{json ? 'Form' : 'JSON'}</button>
        </legend>
        {loose.map((d, i) => (
          <p key={i} className="field__error" role="alert">{d.message}</p>
        ))}
        {json ? (
          <ParamField nodeId={node.id} name="learner_params" schema={{ type: 'object', default: {} }} ui={{ widget: 'json' }} value={node.params.learner_params} required={false} />
        ) : (
          <>
            {!entries.length && <p className="muted">This learner has no settings.</p>}
            {basic.map(field)}
            {extra.length > 0 && (
              <button type="button" className="link-button" onClick={() => setAdvanced((a) => !a)} aria-expanded={advanced} data-testid="learner-settings-advanced">
                {advanced ? 'Hide advanced' : `Advanced (${extra.length})`}
              </button>
            )}
            {advanced && extra.map(field)}
          </>
        )}
      </fieldset>
    </>
  );
}

function Setting({ nodeId, name, schema, value, hostProblem }: { nodeId: string; name: string; schema: JsonSchema; value: unknown; hostProblem?: string }) {
  const id = `learner-param-${name}-input`;
  const s = unwrap(schema);
  const alts = (schema.anyOf ?? schema.oneOf ?? []).filter((a) => a.type !== 'null');
  const numeric = alts.find((a) => a.type === 'number' || a.type === 'integer') ?? (s.type === 'number' || s.type === 'integer' ? s : undefined);
  const commit = (v: unknown) => setLearnerParam(nodeId, name, v === undefined && s.nullable && s.default !== null ? null : v);
  const help = [schema.description, numeric && rangeSentence(rangeText(numeric)), `Default ${shown(schema.default)}.`].filter(Boolean).join(' ');

  const body = (() => {
    // One type (a number, a choice, a yes/no): the inspector's ordinary input, with its checks.
    if (alts.length <= 1 && s.type !== 'array' && s.type !== 'object') {
      return <ScalarInput nodeId={nodeId} name={name} schema={value === null ? { ...s, default: undefined } : s} ui={undefined} value={value} required={false} inputId={id} onCommit={commit} />;
    }
    // Only named choices and yes/no ("auto", true, false): a select.
    const choices = alts.flatMap((a) => (a.const !== undefined ? [a.const] : a.enum ?? (a.type === 'boolean' ? [true, false] : [])));
    if (!numeric && choices.length && alts.every((a) => a.const !== undefined || a.enum || a.type === 'boolean')) {
      const now = value === undefined ? schema.default : value;
      return (
        <select id={id} className="input" value={JSON.stringify(now)} onChange={(e) => commit(JSON.parse(e.target.value))}>
          {choices.map((c) => (
            <option key={JSON.stringify(c)} value={JSON.stringify(c)}>{c === true ? 'on' : c === false ? 'off' : String(c)}</option>
          ))}
        </select>
      );
    }
    return <TextSetting id={id} schema={schema} value={value} choices={choices} onCommit={commit} />;
  })();

  return (
    <div className="field" data-testid={`learner-param-${name}`}>
      <label className="field__label" htmlFor={id}>{name.replace(/_/g, ' ')}</label>
      {body}
      <p className="field__help">{help}</p>
      {hostProblem && <p className="field__error" role="alert">{hostProblem}</p>}
    </div>
  );
}

/** "Range 1 – 100,000." or "At least 2." */
const rangeSentence = (range: string): string => (!range ? '' : /^-?\d/.test(range) ? `Range ${range}.` : `${range[0].toUpperCase()}${range.slice(1)}.`);

const shown = (v: unknown): string => (v === null || v === undefined ? 'none' : Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v));

/**
 * A setting that takes a named choice or a number ("sqrt" or 0.5), a list of whole numbers (layer
 * sizes: "100, 50"), or anything else as JSON; checked against the setting's schema as typed.
 */
function TextSetting({ id, schema, value, choices, onCommit }: { id: string; schema: JsonSchema; value: unknown; choices: unknown[]; onCommit: (v: unknown) => void }) {
  const list = unwrap(schema).type === 'array';
  const format = (v: unknown) => (v === undefined ? '' : list && Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : JSON.stringify(v));
  const initial = format(value ?? schema.default);
  const [draft, setDraft] = useState(initial);
  useEffect(() => setDraft(initial), [initial]);
  const parse = (t: string): unknown => {
    const text = t.trim();
    if (!text) return undefined;
    if (list) return text.split(',').map((x) => Number(x.trim()));
    if (choices.includes(text)) return text;
    if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  const parsed = parse(draft);
  const problem = parsed !== undefined && !acceptsValue(schema, parsed) ? `Not accepted here: ${choices.length ? `one of ${choices.map(String).join(', ')}, or ` : ''}${list ? 'whole numbers separated by commas' : 'a number in range'}.` : null;
  const commit = () => {
    if (draft === initial || problem) return;
    if (JSON.stringify(parsed) !== JSON.stringify(value)) onCommit(parsed);
  };
  const listId = `${id}-choices`;
  return (
    <>
      <input
        id={id}
        className={`input${problem ? ' input--invalid' : ''}`}
        value={draft}
        list={choices.length ? listId : undefined}
        aria-invalid={!!problem}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {choices.length > 0 && (
        <datalist id={listId}>
          {choices.map((c) => <option key={String(c)} value={String(c)} />)}
        </datalist>
      )}
      {problem && <p className="field__error" role="alert">{problem}</p>}
    </>
  );
}
