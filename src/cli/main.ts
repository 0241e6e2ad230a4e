/**
 * The CLI entry. Only light modules load here: aws-cdk-lib, projen and
 * yeoman load in ./generate, on the path that scaffolds.
 */
import { existsSync } from 'node:fs';
import pc from 'picocolors';
import { CI_SYSTEMS, SOURCES } from '../model/catalog';
import { ciRefusal, listMatrix } from '../model/matrix';
import type { Combination, MatrixListing } from '../model/matrix';
import { packageVersion } from '../package-info';
import { parseCliArgs } from './args';
import { UsageError } from './errors';
import { helpText } from './help';
import { nearest } from '../model/nearest';

/**
 * The matrix as text: every runtime x target x strategy in exactly one of the two sections (the reason in full,
 * however often it repeats), then every CI x source, allowed or refused.
 */
export function matrixText(m: MatrixListing): string {
  const row = (c: Combination) => `  ${c.runtime.padEnd(10)}${c.target.padEnd(8)}${c.strategy.padEnd(15)}${(c.engine ?? '-').padEnd(11)}`;
  const lines = ['Valid combinations (runtime  target  strategy  ecs-engine -> deployment):'];
  for (const c of m.valid) {
    const range = c.intervalRange ? ` [--interval ${c.intervalRange.min}-${c.intervalRange.max}]` : '';
    const intervals = c.intervals ? ` [--interval ${c.intervals.join('|')}]` : range;
    lines.push(`${row(c)}${c.deployment}${intervals}`);
  }
  lines.push('', 'Refused (runtime  target  strategy  ecs-engine: why):');
  for (const c of m.refused) lines.push(`${row(c)}${c.reason}`);
  const refusedSources: string[] = [];
  lines.push('', 'Sources per CI:');
  for (const ci of CI_SYSTEMS) {
    const sources = m.sources[ci] ?? [];
    if (sources.length > 0) lines.push(`  ${ci.padEnd(16)}${sources.join(', ')}`);
    for (const source of SOURCES.filter((s) => !sources.includes(s))) {
      refusedSources.push(`  ${ci.padEnd(16)}${source.padEnd(12)}${ciRefusal(ci, source) ?? 'not allowed by the preset'}`);
    }
  }
  if (refusedSources.length > 0) lines.push('', 'Refused sources per CI (ci  source: why):', ...refusedSources);
  return lines.join('\n') + '\n';
}

/** Runs the CLI; resolves to the process exit code. */
const OPS = ['status', 'release', 'approve', 'reject', 'retry'];
const SUBCOMMANDS = [...OPS, 'drift', 'reset'];

/**
 * The subcommand a first argument is one typo away from (`statuz`, `relase`, `stauts`), unless that folder exists:
 * a repo named one typo from a command is far likelier a slip than a choice, and `./statuz` still creates it.
 */
function subcommandTypo(first: string | undefined): string | undefined {
  if (first === undefined || first.length < 5 || !/^[a-z]+$/.test(first) || SUBCOMMANDS.includes(first)) return undefined;
  const near = nearest(first, SUBCOMMANDS, 1);
  return near && !existsSync(first) ? near : undefined;
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    if (SUBCOMMANDS.includes(argv[0] ?? '') || argv[0] === '--reset') {
      const { runOps } = await import('../ops/cli.js');
      return await runOps(argv[0] === '--reset' ? 'reset' : (argv[0] as 'status'), argv.slice(1));
    }
    const typo = subcommandTypo(argv[0]);
    if (typo) {
      throw new UsageError(`unknown command ${JSON.stringify(argv[0])}: did you mean ${typo}? (to create a repo in a folder of that name, write it as ./${argv[0]})`);
    }
    const args = parseCliArgs(argv);
    if (args.help) {
      process.stdout.write(helpText());
      return 0;
    }
    if (args.version) {
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (args.listCombinations) {
      let m = listMatrix();
      if (typeof args.answers.preset === 'string') {
        const { loadPreset, narrowMatrix } = await import('../model/preset.js');
        m = narrowMatrix(m, loadPreset(args.answers.preset, [process.cwd()]).preset);
      }
      process.stdout.write(args.json ? `${JSON.stringify(m, null, 2)}\n` : matrixText(m));
      return 0;
    }
    if (args.json) throw new UsageError('--json goes with --list-combinations');
    const { generate } = await import('./generate.js');
    return await generate(args);
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'UsageError' || name === 'ConfigError') {
      process.stderr.write(`${pc.red('error')} ${(err as Error).message}\n`);
      return (err as UsageError).exitCode ?? 1;
    }
    if ((err as Error).name === 'InterruptedError') {
      process.stderr.write(`${(err as Error).message}\n`);
      return 130;
    }
    if ((err as Error).name === 'ExitPromptError' || (err as Error).name === 'AbortPromptError') {
      process.stderr.write('cancelled: nothing was written\n');
      return 130;
    }
    process.stderr.write(`${pc.red('error')} ${(err as Error).message ?? String(err)} (please report this: it is a bug)\n`);
    if (process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}
