/** This package's own reference docs, rendered from the model (docs/matrix.md, docs/options.md). */
import { CI_CHOICES, RUNTIME_CHOICES, SOURCE_CHOICES, STRATEGY_CHOICES, TARGET_CHOICES } from '../model/catalog';
import { DEFAULT_STRATEGY } from '../model/config';
import { listMatrix } from '../model/matrix';
import { OPTION_SPECS } from '../model/options';

export function renderMatrixMarkdown(): string {
  const m = listMatrix();
  const out = [
    '# The combination matrix',
    '',
    'Rendered from `src/model/matrix.ts`; `npx create-aws-pipeline --list-combinations --json` prints the same.',
    'Every runtime accepts every source; the table is runtime × target × strategy.',
    '',
    '## Valid',
    '',
    '| runtime | target | strategy | deploys with | canary/linear intervals (min) |',
    '| --- | --- | --- | --- | --- |',
    ...m.valid.map((c) => `| ${c.runtime} | ${c.target} | ${c.strategy} | ${c.deployment} | ${c.intervals?.join(', ') ?? ''} |`),
    '',
    '## Refused, with the reason',
    '',
    '| runtime | target | strategy | reason |',
    '| --- | --- | --- | --- |',
    ...m.refused.map((c) => `| ${c.runtime} | ${c.target} | ${c.strategy} | ${c.reason} |`),
    '',
    '## Sources per CI system',
    '',
    ...Object.entries(m.sources).map(([ci, s]) => `- ${ci}: ${s.join(', ')}`),
    '',
  ];
  return out.join('\n');
}

export function renderOptionsMarkdown(): string {
  const choiceList = (list: readonly { value: string; description: string }[]) => list.map((c) => `\`${c.value}\` (${c.description})`).join('; ');
  const choices: Record<string, string> = {
    runtime: choiceList(RUNTIME_CHOICES),
    source: choiceList(SOURCE_CHOICES),
    target: choiceList(TARGET_CHOICES),
    strategy: `${choiceList(STRATEGY_CHOICES)}. Default per target: ${Object.entries(DEFAULT_STRATEGY).map(([t, s]) => `${t} → ${s}`).join(', ')}`,
    ci: choiceList(CI_CHOICES),
  };
  return [
    '# Options',
    '',
    'Rendered from `src/model/options.ts`. Each option is a CLI flag and a property of `AwsPipelineProject` / `AwsPipeline` in `.projenrc.ts`.',
    '',
    '| flag | `.projenrc.ts` | what |',
    '| --- | --- | --- |',
    ...OPTION_SPECS.map((s) => `| \`--${s.flag}\` | \`${s.key}\` | ${s.description}${choices[s.key] ? `: ${choices[s.key]}` : ''} |`),
    '',
    'Run options: `--yes` (defaults for every open answer), `--force` (write into a non-empty directory), `--skip-install`, `--list-combinations [--json]`, `--help`, `--version`.',
    '',
    'Options of `.projenrc.ts` only (no flag):',
    '',
    '- `existing`: per environment, a target that exists already, by name (CodeDeploy targets: `applicationName`, `deploymentGroupName`, and for ECS blue/green `clusterName`, `serviceName`; ECS rolling: `clusterName`, `serviceName`; Lambda: plus `functionName`; S3 site: `bucketName`).',
    '- `productionAccount`: the 12-digit account production runs in, when not the pipeline\'s; production must be `existing`, and the account provides the role `<name>-deploy` (CodePipeline) or `<name>-github-<production>` (GitHub Actions).',
    '- `githubOidcProviderArn`: the account\'s GitHub OIDC provider, when it exists already.',
    '',
  ].join('\n');
}
