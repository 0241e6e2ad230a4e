/** Which pipeline the day-2 commands act on: from the generated repo's aws-pipeline.json, or flags. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OpsError } from './errors';

export const OPS_FILE = 'aws-pipeline.json';

export interface PipelineRef {
  readonly pipeline: string;
  readonly region: string;
}

const FLAGS = 'pass --pipeline <name> --region <region>';
const REDO = `run \`npx projen\` to re-render it, or ${FLAGS}`;

export function pipelineRef(dir: string, flags: { pipeline?: string; region?: string }): PipelineRef {
  // The file as the user names it: aws-pipeline.json, or under --dir.
  const file = join(dir, OPS_FILE);
  const fromFile = flags.pipeline && flags.region ? {} : readOpsFile(file);
  if (fromFile === undefined && !(flags.pipeline && flags.region)) {
    throw new OpsError('NoOpsFile', `no ${OPS_FILE} in ${resolve(dir)}: run this in a generated repo, or ${FLAGS}`);
  }
  const pipeline = flags.pipeline || field(fromFile, 'pipeline', file);
  const region = flags.region || field(fromFile, 'region', file);
  return { pipeline, region };
}

/** The file's object; undefined when there is no file. Anything else wrong with it: one line. */
function readOpsFile(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') throw new OpsError('BadOpsFile', `${file} is a directory, not a file: remove it and run \`npx projen\`, or ${FLAGS}`);
    if (code === 'EACCES' || code === 'EPERM') throw new OpsError('BadOpsFile', `cannot read ${file} (permission denied, ${code}): make it readable, or ${FLAGS}`);
    throw new OpsError('BadOpsFile', `cannot read ${file} (${code ?? (err as Error).message}): ${REDO}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (err) {
    throw new OpsError('BadOpsFile', `${file} is not valid JSON (${jsonProblem((err as Error).message, text)}): ${REDO}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OpsError('BadOpsFile', `${file} should hold an object with "pipeline" and "region", not ${kind(value)}: ${REDO}`);
  }
  return value as Record<string, unknown>;
}

function field(from: Record<string, unknown> | undefined, key: 'pipeline' | 'region', file: string): string {
  const value = from?.[key];
  if (value === undefined || value === '') throw new OpsError('BadOpsFile', `${file} has no "${key}": ${REDO}`);
  if (typeof value !== 'string') throw new OpsError('BadOpsFile', `"${key}" in ${file} should be a string, not ${kind(value)}: ${REDO}`);
  return value;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** JSON.parse's message, with a position as a line and column, and without its closing "is not valid JSON". */
function jsonProblem(message: string, text: string): string {
  const first = message.replace(/ is not valid JSON$/, '');
  return first.replace(/ in JSON at position (\d+)(?: \(line \d+ column \d+\))?/, (_, at: string) => {
    const before = text.replace(/^\ufeff/, '').slice(0, Number(at)).split('\n');
    return ` at line ${before.length} column ${before[before.length - 1].length + 1}`;
  });
}
