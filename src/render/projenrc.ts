/**
 * The `.projenrc.ts` of a generated repo: it instantiates AwsPipelineProject
 * with the answers. Values are written as JSON literals, so no answer can
 * inject code.
 */
import { commentText, tsLiteral } from './escape';
import type { PipelineConfig } from '../model/config';
import { DEFAULTS } from '../model/config';
import { prBuildsRefusal } from '../model/matrix';
import type { PipelineOptions } from '../model/options';

/**
 * Every answer worth writing down: the main choices always, the rest when they differ from the default.
 * What the stack in infra/main.ts is built from (a preset already applied).
 */
export function stackOptions(config: PipelineConfig): PipelineOptions {
  const o: Record<string, unknown> = {
    name: config.name,
    // Where the service is in its repository: written only for a folder ("." is the whole repository).
    ...(config.path !== '.' ? { path: config.path } : {}),
    runtime: config.runtime,
    source: config.source,
    target: config.target,
    strategy: config.strategy,
    ci: config.ci,
  };
  if (config.interval !== undefined) o.interval = config.interval;
  // Always written for a blue-green, canary or linear ECS service: an absent ecsEngine means codedeploy (repos made
  // before the option), so a new repo names the engine it was made with and keeps it whatever the default becomes.
  if (config.ecsEngine !== undefined && config.deployment.kind !== 'ecs-rolling') o.ecsEngine = config.ecsEngine;
  if (config.repository) o.repository = config.repository;
  if (config.branch !== DEFAULTS.branch) o.branch = config.branch;
  o.region = config.region;
  if (config.account) o.account = config.account;
  if (config.environments.join() !== DEFAULTS.environments.join()) o.environments = config.environments;
  if (config.approval !== DEFAULTS.approval) o.approval = config.approval;
  // Written when off where the source would have them on (off is the only value with CodeCommit and S3).
  if (!config.prBuilds && !prBuildsRefusal(config.source)) o.prBuilds = false;
  if (config.healthCheckPath !== DEFAULTS.healthCheckPath) o.healthCheckPath = config.healthCheckPath;
  if (config.port !== DEFAULTS.port) o.port = config.port;
  if (config.certificateArn) o.certificateArn = config.certificateArn;
  if (config.names.pipeline !== config.name) o.pipelineName = config.names.pipeline;
  if (Object.keys(config.parameters).length) o.parameters = pairs(config.parameters);
  if (Object.keys(config.secrets).length) o.secrets = pairs(config.secrets);
  if (config.secretsKeys.length) o.secretsKeys = [...config.secretsKeys];
  if (Object.keys(config.existing).length) o.existing = config.existing;
  if (config.productionAccount) o.productionAccount = config.productionAccount;
  if (config.githubOidcProviderArn) o.githubOidcProviderArn = config.githubOidcProviderArn;
  if (config.owner !== DEFAULTS.owner) o.owner = config.owner;
  if (Object.keys(config.tags).length) o.tags = config.tags;
  if (config.errorThreshold !== DEFAULTS.errorThreshold) o.errorThreshold = config.errorThreshold;
  if (config.latencyThresholdMs !== DEFAULTS.latencyThresholdMs) o.latencyThresholdMs = config.latencyThresholdMs;
  return o as unknown as PipelineOptions;
}

const pairs = (m: Readonly<Record<string, string>>) => Object.entries(m).map(([k, v]) => `${k}=${v}`);

/** An answer as an option value, default or not. */
function optionValue(config: PipelineConfig, key: string): unknown {
  if (key === 'pipelineName') return config.names.pipeline;
  if (key === 'parameters' || key === 'secrets') return pairs(config[key]);
  return (config as unknown as Record<string, unknown>)[key];
}

/**
 * The answers of .projenrc.ts: with a preset, its name and only the answers that differ from what the
 * preset gives, so a new version of the preset reaches the repo on the next synth.
 */
export function projenrcOptions(config: PipelineConfig): PipelineOptions {
  const o: Record<string, unknown> = { ...stackOptions(config) };
  const p = config.preset;
  if (!p) return o as unknown as PipelineOptions;
  for (const [key, value] of Object.entries(p.values)) {
    if (key === 'name') continue;
    const mine = optionValue(config, key);
    // Values the config does not keep (repositoryOwner: the repository is written instead) have nothing to write.
    if (mine === undefined || JSON.stringify(mine) === JSON.stringify(value)) delete o[key];
    else o[key] = mine;
  }
  return { name: config.name, preset: p.ref, ...o } as unknown as PipelineOptions;
}

/** The answers as the lines of an object literal (JSON values: no answer can inject code). */
export function optionLines(options: PipelineOptions): string {
  return Object.entries(options)
    .map(([k, v]) => `  ${k}: ${tsLiteral(v)},`)
    .join('\n');
}

export function renderProjenrc(config: PipelineConfig): string {
  const body = optionLines(projenrcOptions(config));
  return [
    "import { AwsPipelineProject } from 'create-aws-pipeline';",
    '',
    '// Change an answer here and run `npx projen`: every managed file follows.',
    ...(config.preset ? [`// Answers not written here come from the preset ${commentText(config.preset.name)}: a new version of it applies on the next \`npx projen\`.`] : []),
    'const project = new AwsPipelineProject({',
    body,
    '});',
    '',
    'project.synth();',
    '',
  ].join('\n');
}
