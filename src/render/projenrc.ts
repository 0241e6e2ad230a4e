/**
 * The `.projenrc.ts` of a generated repo: it instantiates AwsPipelineProject
 * with the answers. Values are written as JSON literals, so no answer can
 * inject code.
 */
import type { PipelineConfig } from '../model/config';
import { DEFAULTS } from '../model/config';
import type { PipelineOptions } from '../model/options';

/** The options worth writing down: the main choices always, the rest when they differ from the default. */
export function projenrcOptions(config: PipelineConfig): PipelineOptions {
  const o: Record<string, unknown> = {
    name: config.name,
    runtime: config.runtime,
    source: config.source,
    target: config.target,
    strategy: config.strategy,
    ci: config.ci,
  };
  if (config.interval !== undefined) o.interval = config.interval;
  if (config.repository) o.repository = config.repository;
  if (config.branch !== DEFAULTS.branch) o.branch = config.branch;
  o.region = config.region;
  if (config.account) o.account = config.account;
  if (config.environments.join() !== DEFAULTS.environments.join()) o.environments = config.environments;
  if (config.approval !== DEFAULTS.approval) o.approval = config.approval;
  if (config.healthCheckPath !== DEFAULTS.healthCheckPath) o.healthCheckPath = config.healthCheckPath;
  if (config.port !== DEFAULTS.port) o.port = config.port;
  if (config.names.pipeline !== config.name) o.pipelineName = config.names.pipeline;
  const pairs = (m: Readonly<Record<string, string>>) => Object.entries(m).map(([k, v]) => `${k}=${v}`);
  if (Object.keys(config.parameters).length) o.parameters = pairs(config.parameters);
  if (Object.keys(config.secrets).length) o.secrets = pairs(config.secrets);
  if (Object.keys(config.existing).length) o.existing = config.existing;
  if (config.productionAccount) o.productionAccount = config.productionAccount;
  if (config.githubOidcProviderArn) o.githubOidcProviderArn = config.githubOidcProviderArn;
  return o as unknown as PipelineOptions;
}

/** The answers as the lines of an object literal (JSON values: no answer can inject code). */
export function optionLines(config: PipelineConfig): string {
  return Object.entries(projenrcOptions(config))
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)},`)
    .join('\n');
}

export function renderProjenrc(config: PipelineConfig): string {
  const body = optionLines(config);
  return [
    "import { AwsPipelineProject } from 'create-aws-pipeline';",
    '',
    '// Change an answer here and run `npx projen`: every managed file follows.',
    'const project = new AwsPipelineProject({',
    body,
    '});',
    '',
    'project.synth();',
    '',
  ].join('\n');
}
