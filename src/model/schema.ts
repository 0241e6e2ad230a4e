/**
 * The shapes of options and presets, as valibot schemas built from the model
 * (OPTION_SPECS and the catalog): an array is not a string, a number is not a
 * string of digits, and an unknown key is an error naming it. `resolveConfig`
 * then checks the values (names, ARNs, the matrix). The same schemas publish
 * the JSON Schema that preset authors point their editors at
 * (`schema/preset.schema.json`).
 */
import * as v from 'valibot';
import { CI_SYSTEMS, RUNTIMES, SOURCES, STRATEGIES, TARGETS } from './catalog';
import { OPTION_SPECS } from './options';
import type { OptionKey, OptionSpec } from './options';

const EXISTING_FIELDS = ['applicationName', 'deploymentGroupName', 'clusterName', 'serviceName', 'functionName', 'bucketName'] as const;

function typeOf(spec: OptionSpec) {
  const described = <T extends v.GenericSchema>(schema: T) => v.pipe(schema, v.description(spec.description));
  if (spec.choices) return described(v.picklist(spec.choices.map((c) => c.value)));
  switch (spec.type) {
    case 'string': return described(v.string());
    case 'number': return described(v.number());
    case 'boolean': return described(v.boolean());
    case 'list': return described(v.array(v.string()));
  }
}

const OPTION_ENTRIES = {
  ...Object.fromEntries(OPTION_SPECS.map((s) => [s.key, v.optional(typeOf(s))])),
  existing: v.optional(v.pipe(
    v.record(v.string(), v.strictObject(Object.fromEntries(EXISTING_FIELDS.map((f) => [f, v.optional(v.string())])))),
    v.description('environments whose target exists already, by name'),
  )),
  productionAccount: v.optional(v.pipe(v.string(), v.description('the 12-digit account production runs in, when not the pipeline\'s'))),
  githubOidcProviderArn: v.optional(v.pipe(v.string(), v.description('the account\'s GitHub OIDC provider, when it exists already'))),
  tags: v.optional(v.pipe(v.record(v.string(), v.string()), v.description('more tags on every resource'))),
} as unknown as Record<OptionKey, v.OptionalSchema<v.GenericSchema, undefined>>;

/** Every option of `.projenrc.ts` and the command line. */
export const optionsSchema = v.strictObject(OPTION_ENTRIES);

/** What a preset may set: every option but the service's own name and the preset itself. */
export const PRESETTABLE = (Object.keys(OPTION_ENTRIES) as OptionKey[]).filter((k) => k !== 'name' && k !== 'preset');

const NARROWABLE = { runtime: RUNTIMES, source: SOURCES, target: TARGETS, strategy: STRATEGIES, ci: CI_SYSTEMS } as const;

/**
 * A preset's name: printable text on one line (it is shown in messages, comments and docs): no control
 * characters, line or paragraph separators, or invisible and bidirectional formatting characters.
 * Without RegExp flags, so the JSON Schema carries the same pattern.
 */
const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]+$/;

export const presetSchema = v.strictObject({
  $schema: v.optional(v.string()),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(214), v.regex(PRINTABLE), v.description('shown in messages, e.g. "@acme/pipeline-preset"')),
  description: v.optional(v.pipe(v.string(), v.description('what the preset is for'))),
  defaults: v.optional(v.pipe(
    v.strictObject(Object.fromEntries(PRESETTABLE.map((k) => [k, OPTION_ENTRIES[k]]))),
    v.description('org defaults: answers users get unless they give their own'),
  )),
  locked: v.optional(v.pipe(v.array(v.picklist(PRESETTABLE)), v.description('options users may not change: they take the value in defaults'))),
  allowed: v.optional(v.pipe(
    v.strictObject(Object.fromEntries(Object.entries(NARROWABLE).map(([k, values]) => [k, v.optional(v.pipe(v.array(v.picklist(values)), v.minLength(1)))]))),
    v.description('the allowed values of the main choices, narrowing the matrix'),
  )),
});

/** What a value is, in a message: "an array", "null", "the number 3". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array of strings',
  strict_object: 'an object',
  object: 'an object',
  record: 'an object',
};

/** A schema problem: where (a dotted path, '' for the whole) and what. */
export interface SchemaProblem {
  readonly path: readonly (string | number)[];
  /** The last key on the path that is an option (for ConfigError.option). */
  readonly message: string;
  readonly unknownKey?: string;
  /** The value at the path. */
  readonly input?: unknown;
  /** For a value outside a list of choices: the choices. */
  readonly choices?: readonly string[];
}

function problemOf(issue: v.BaseIssue<unknown>, schemaKeys: (path: readonly (string | number)[]) => readonly string[]): SchemaProblem {
  const path = (issue.path ?? []).map((p) => p.key as string | number);
  const where = path.join('.');
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const key = String(path[path.length - 1]);
    const known = schemaKeys(path.slice(0, -1));
    const parent = path.slice(0, -1).join('.');
    return { path, unknownKey: key, message: `unknown key ${JSON.stringify(key)}${parent ? ` in ${parent}` : ''}: use ${known.join(', ')}` };
  }
  if (issue.type === 'picklist') {
    const options = (issue.expected ?? '').replace(/^\(|\)$/g, '').split(' | ').map((s) => s.replace(/^"|"$/g, ''));
    return { path, input: issue.input, choices: options, message: `${where} ${typeof issue.input === 'string' ? JSON.stringify(issue.input) : `is ${describeValue(issue.input)}, which`} is not one of ${options.join(', ')}` };
  }
  if (issue.type === 'min_length') return { path, message: `${where} is empty: give at least one` };
  if (issue.type === 'max_length') return { path, message: `${where} is too long (at most ${issue.requirement})` };
  if (issue.type === 'regex') return { path, message: `${where} must be printable text on one line` };
  const expected = EXPECTED[issue.type] ?? issue.expected ?? issue.type;
  return { path, input: issue.input, message: `${where || 'it'} must be ${expected}, not ${describeValue(issue.input)}` };
}

function keysAt(schema: v.GenericSchema, path: readonly (string | number)[]): readonly string[] {
  let s: v.GenericSchema | undefined = schema;
  for (const key of path) {
    s = unwrap(s);
    if (!s) return [];
    if ('entries' in s) s = (s.entries as Record<string, v.GenericSchema>)[key];
    else if ('value' in s) s = s.value as v.GenericSchema;
    else return [];
  }
  s = unwrap(s);
  return s && 'entries' in s ? Object.keys(s.entries as object) : [];
}

function unwrap(s: v.GenericSchema | undefined): v.GenericSchema | undefined {
  let out = s;
  while (out && 'wrapped' in out) out = out.wrapped as v.GenericSchema;
  while (out && 'pipe' in out && (out.pipe as v.GenericSchema[])[0] !== out) out = (out.pipe as v.GenericSchema[])[0];
  return out;
}

/** The first problem of `value` against `schema`, or undefined when it fits. An array is never an object here. */
export function schemaProblem(schema: v.GenericSchema, value: unknown): SchemaProblem | undefined {
  if (Array.isArray(value) || value === null || typeof value !== 'object') {
    return { path: [], message: `it must be an object, not ${describeValue(value)}` };
  }
  const arrayAt = findArrayAsObject(schema, value, []);
  if (arrayAt) return arrayAt;
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return undefined;
  return problemOf(result.issues[0], (path) => keysAt(schema, path));
}

/** valibot accepts an array where an object is wanted: refuse it, naming where. */
function findArrayAsObject(schema: v.GenericSchema, value: unknown, path: (string | number)[]): SchemaProblem | undefined {
  const s = unwrap(schema);
  if (!s || typeof value !== 'object' || value === null) return undefined;
  const isObjectSchema = 'entries' in s || s.type === 'record';
  if (!isObjectSchema) return undefined;
  if (Array.isArray(value)) return { path, message: `${path.join('.') || 'it'} must be an object, not an array` };
  for (const [key, child] of Object.entries(value)) {
    const childSchema = 'entries' in s ? (s.entries as Record<string, v.GenericSchema>)[key] : (s as unknown as { value: v.GenericSchema }).value;
    if (!childSchema) continue;
    const found = findArrayAsObject(childSchema, child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
