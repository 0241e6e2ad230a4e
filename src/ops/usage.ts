/**
 * The day-2 commands' flags and usage, one table: each command's --help and
 * its parser take the same flags, so a flag it does not list is refused.
 */
import { parseArgs } from 'node:util';
import { OpsError } from './errors';
import { clean, truncate } from './text';
import { nearest } from '../model/nearest';

export const OPS_COMMANDS = ['status', 'release', 'approve', 'reject', 'retry', 'drift', 'reset'] as const;
export type OpsCommand = (typeof OPS_COMMANDS)[number];

type Flag = 'json' | 'summary' | 'stage' | 'dir' | 'pipeline' | 'region';

const PLACEHOLDER: Partial<Record<Flag, string>> = { summary: '<text>', stage: '<name>', dir: '<repo>', pipeline: '<name>', region: '<region>' };

const AWS_NOTE = 'AWS credentials: as the AWS CLI finds them (AWS_PROFILE, the environment, ~/.aws, SSO).';

interface CommandSpec {
  /** After the flags in the usage line. */
  readonly operands?: string;
  readonly about: string;
  /** Each flag with what it does for this command. */
  readonly flags: Partial<Record<Flag, string>>;
  readonly examples: readonly string[];
  readonly note?: string;
}

const where = {
  dir: 'the generated repo (default: the current folder)',
  pipeline: 'the pipeline (default: "pipeline" in aws-pipeline.json)',
  region: 'its Region (default: "region" in aws-pipeline.json)',
};

const SPECS: Record<OpsCommand, CommandSpec> = {
  status: {
    about:
      "The pipeline's stages and actions (status, last change, summary), each failed action's error and link,\n" +
      'and the latest executions. In a repo whose pipeline runs on GitHub Actions: where to see its runs.',
    flags: { json: 'print JSON; an error too, as {"error": {"code", "message"}} on stdout, exit 1', ...where },
    examples: ['npx create-aws-pipeline status', 'npx create-aws-pipeline status --json | jq -r \'.stages[] | "\\(.name) \\(.status)"\''],
    note: AWS_NOTE,
  },
  release: {
    about: 'Starts an execution of the pipeline, on the latest commit of its source.',
    flags: { json: 'print {"pipelineExecutionId"}; an error as {"error": {"code", "message"}}, exit 1', ...where },
    examples: ['npx create-aws-pipeline release'],
    note: AWS_NOTE,
  },
  approve: {
    about: 'Approves the manual approval waiting in the pipeline (found by itself; --stage when several wait).',
    flags: { summary: 'the comment on the approval (default: "Approved with create-aws-pipeline")', stage: 'the stage whose approval to answer', ...where },
    examples: ['npx create-aws-pipeline approve --summary "staging checked"'],
    note: AWS_NOTE,
  },
  reject: {
    about: 'Rejects the manual approval waiting in the pipeline (found by itself; --stage when several wait):\nthe execution stops there.',
    flags: { summary: 'the reason (default: "Rejected with create-aws-pipeline")', stage: 'the stage whose approval to answer', ...where },
    examples: ['npx create-aws-pipeline reject --summary "p99 latency regressed"'],
    note: AWS_NOTE,
  },
  retry: {
    about: 'Retries the failed actions of a failed stage, in the same execution.',
    flags: { stage: 'the failed stage to retry (default: the first failed one)', ...where },
    examples: ['npx create-aws-pipeline retry --stage Build'],
    note: AWS_NOTE,
  },
  drift: {
    about:
      'Lists the managed files that differ from what the templates render (edits npx projen keeps, unresolved\n' +
      'conflicts, files not re-rendered since an upgrade), without writing. Exit 1 when any do (for CI),\n' +
      '2 when it cannot tell (projen not installed, a bad flag).',
    flags: { json: 'print {"changed": [...], "missing": [...]}; an error as {"error": {"code", "message"}}', dir: where.dir },
    examples: ['npx create-aws-pipeline drift', 'npx create-aws-pipeline drift --json'],
  },
  reset: {
    operands: '<file>...',
    about: 'Returns managed files to the template, dropping your edits (npx projen keeps and merges them).\nAlso: create-aws-pipeline --reset <file>.',
    flags: { dir: where.dir },
    examples: ['npx create-aws-pipeline reset buildspec.yml'],
  },
};

/** The usage of one command: what it does, its flags, an example. */
export function commandHelp(command: OpsCommand): string {
  const spec = SPECS[command];
  const flags = Object.keys(spec.flags) as Flag[];
  const usage = [`create-aws-pipeline ${command}`, ...(spec.operands ? [spec.operands] : []), ...flags.map((f) => `[--${f}${PLACEHOLDER[f] ? ` ${PLACEHOLDER[f]}` : ''}]`)];
  const rows = [...flags.map((f) => [`--${f}${PLACEHOLDER[f] ? ` ${PLACEHOLDER[f]}` : ''}`, spec.flags[f] as string]), ['-h, --help', 'print this help']];
  return [
    `Usage: ${usage.join(' ')}`,
    '',
    spec.about,
    '',
    'Options:',
    ...rows.map(([left, what]) => `  ${left.padEnd(20)} ${what}`),
    '',
    spec.examples.length > 1 ? 'Examples:' : 'Example:',
    ...spec.examples.map((e) => `  ${e}`),
    ...(spec.note ? ['', spec.note] : []),
    '',
  ].join('\n');
}

/** The command takes --json (and so prints its errors as JSON with it). */
export function takesJson(command: OpsCommand): boolean {
  return 'json' in SPECS[command].flags;
}

export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly values: Partial<Record<Flag, string | boolean>>; readonly positionals: string[] };

/**
 * The command's flags; --help (-h) anywhere wins. Anything else wrong is one
 * line naming the flag (or argument) and the command's --help.
 */
export function parseCommandArgs(command: OpsCommand, argv: readonly string[]): ParsedArgs {
  const spec = SPECS[command];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const f of Object.keys(spec.flags) as Flag[]) options[f] = { type: f === 'json' ? 'boolean' : 'string' };
  // Not strict: every problem is found here, in order, and said in our words.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };
  const problem = (what: string) => new OpsError('BadFlag', `${what}: see create-aws-pipeline ${command} --help`);
  const shown = (s: string) => truncate(clean(s), 40);
  const values: Partial<Record<Flag, string | boolean>> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (!spec.operands) throw problem(`${command} takes no arguments (got ${shown(t.value)})`);
      positionals.push(t.value);
    } else if (t.kind === 'option') {
      const type = options[t.name]?.type;
      if (!type) {
        const near = t.rawName.startsWith('--') ? nearest(t.name, Object.keys(options)) : undefined;
        throw problem(`unknown flag ${shown(t.rawName)} for ${command}${near ? ` (did you mean --${near}?)` : ''}`);
      }
      if (type === 'boolean' && t.value !== undefined) throw problem(`${t.rawName} takes no value`);
      // A value that looks like a flag is a flag the user meant: --summary --stage B.
      if (type === 'string' && (t.value === undefined || t.value === '' || (!t.inlineValue && t.value.startsWith('-')))) throw problem(`${t.rawName} needs a value`);
      values[t.name as Flag] = type === 'boolean' ? true : (t.value as string);
    }
  }
  return { help: false, values, positionals };
}
