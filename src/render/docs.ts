/** Docs rendered from the model: this package's own reference (docs/matrix.md, docs/options.md) and a generated repo's docs/pipeline.md. */
import { renderDiagram } from './diagram';
import { renderTemplate } from './template';
import { renderWorkflow, workflowYaml } from './workflow';
import { CI_CHOICES, ECS_ENGINE_CHOICES, RUNTIME_CHOICES, SOURCE_CHOICES, SOURCES, STRATEGY_CHOICES, TARGET_CHOICES } from '../model/catalog';
import { DEFAULT_STRATEGY } from '../model/config';
import type { PipelineConfig } from '../model/config';
import { S3_SOURCE_KEY, workflowPath } from '../model/layout';
import { ECS_ENGINE_NOTES, listMatrix, prBuildsRefusal } from '../model/matrix';
import { OPTION_SPECS } from '../model/options';
import { OUTPUT_KEYS, TEST_LISTENER_PORT } from '../model/plan';
import { prBuildsView } from '../model/pr-builds';
import { releaseOf } from '../model/release';

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
    '| runtime | target | strategy | ECS engine | deploys with | canary/linear intervals (min) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...m.valid.map((c) => `| ${c.runtime} | ${c.target} | ${c.strategy} | ${c.engine ?? ''} | ${c.deployment} | ${c.intervals?.join(', ') ?? (c.intervalRange ? `${c.intervalRange.min}-${c.intervalRange.max}` : '')} |`),
    '',
    '## Refused, with the reason',
    '',
    '| runtime | target | strategy | ECS engine | reason |',
    '| --- | --- | --- | --- | --- |',
    ...m.refused.map((c) => `| ${c.runtime} | ${c.target} | ${c.strategy} | ${c.engine ?? ''} | ${c.reason} |`),
    '',
    '## ECS engines (`--ecs-engine codedeploy|ecs`)',
    '',
    ...ECS_ENGINE_NOTES.map((n) => `- ${n}`),
    '',
    '## Sources per CI system',
    '',
    ...Object.entries(m.sources).map(([ci, s]) => `- ${ci}: ${s.join(', ')}`),
    '',
    '## Pull-request builds per source',
    '',
    '`prBuilds` (`--pr-builds`, on by default where the source has pull requests): built and tested, never deployed, by a CodeBuild webhook project with CodePipeline, by the workflow\'s `pull_request` jobs with GitHub Actions.',
    '',
    ...SOURCES.map((source) => `- ${source}: ${prBuildsRefusal(source) ? `refused: ${prBuildsRefusal(source)}` : 'on by default'}`),
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
    ecsEngine: `${choiceList(ECS_ENGINE_CHOICES)}. Asked for an ECS service with blue-green, canary or linear; new repos get \`ecs\` (AWS recommends it) and \`.projenrc.ts\` names it; a \`.projenrc.ts\` without it means \`codedeploy\`, the engine of repos made before the option`,
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

/** What the workflow reads from GitHub: the names after `secrets.` and `vars.` in its expressions (GITHUB_TOKEN is GitHub's own). */
export function workflowInputs(workflowText: string): { readonly secrets: readonly string[]; readonly variables: readonly string[] } {
  const names = (kind: string) => [...new Set([...workflowText.matchAll(new RegExp(`\\b${kind}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g'))].map((m) => m[1]))].filter((n) => n !== 'GITHUB_TOKEN').sort();
  return { secrets: names('secrets'), variables: names('vars') };
}

/** What a secret or variable the workflow reads holds, for the setup steps (a name not here is described by the workflow step that reads it). */
const WORKFLOW_INPUT_MEANING: Readonly<Record<string, string>> = {
  AWS_ACCOUNT_ID: 'the 12-digit id of the AWS account the stack is deployed in (the deploy jobs assume its roles there)',
};

/** The generated repo's docs/pipeline.md: the pipeline as configured, and the first deploy for the CI system chosen. */
export function renderPipelineDocs(c: PipelineConfig): string {
  const workflow = renderWorkflow(c);
  const inputs = workflow ? workflowInputs(workflowYaml(workflow)) : { secrets: [], variables: [] };
  return renderTemplate('docs/pipeline.md', {
    config: c,
    pr: prBuildsView(c),
    diagram: renderDiagram(c),
    inputs,
    inputMeaning: (name: string) => WORKFLOW_INPUT_MEANING[name],
    testPort: TEST_LISTENER_PORT,
    waitMinutes: releaseOf(c).waitMinutes,
    sourceBucketOutput: OUTPUT_KEYS.sourceBucket,
    sourceKey: S3_SOURCE_KEY,
    // From the repository's root: `.github/workflows/pipeline.yml`, or the service's own for a service in a folder.
    workflowFile: workflowPath(c),
    workflowName: workflow ? String(workflow.name) : 'pipeline',
  });
}
