/**
 * The answers, printed once before anything is written: every value the repo
 * is rendered from that a first run decides, and where each came from.
 */
import type { PipelineConfig } from '../model/config';
import { isPlaceholderRepository } from '../model/repository';
import { clean } from '../ops/text';

/** Where an answer came from: typed or passed as a flag (no mark), or one of the others, marked. */
export type Origin = 'given' | 'default' | 'only choice' | 'preset' | 'git remote' | 'folder';

const MARK: Readonly<Record<Origin, string>> = {
  'given': '',
  'default': '(default)',
  'only choice': '(forced: the only choice)',
  'preset': '(preset)',
  'git remote': '(default: git remote origin)',
  'folder': '(default: from the folder\'s name)',
};

/** Summary rows: the option's key, its label and its value as shown. */
function rows(c: PipelineConfig): Array<[string, string, string]> {
  return [
    ['name', 'Service name', c.name],
    // Only for a service in a folder of its repository (--path): the whole repository otherwise.
    ...(c.path === '.' ? [] : [['path', 'Folder in the repo', c.path] as [string, string, string]]),
    ['target', 'Deploy target', c.target],
    ['runtime', 'Runtime', c.runtime],
    ['strategy', 'Deployment strategy', c.strategy],
    ...(c.ecsEngine === undefined || c.deployment.kind === 'ecs-rolling' ? [] : [['ecsEngine', 'ECS deployment engine', c.ecsEngine] as [string, string, string]]),
    ...(c.interval === undefined ? [] : [['interval', 'Traffic shift interval', c.interval === 1 ? '1 minute' : `${c.interval} minutes`] as [string, string, string]]),
    ['source', 'Source provider', c.source],
    ...(c.source === 's3' ? [] : [['repository', 'Repository', c.repository] as [string, string, string]]),
    ['branch', 'Branch', c.branch],
    ['ci', 'CI system', c.ci],
    ['region', 'AWS Region', c.region],
    ['account', 'AWS account', c.account ?? 'the account of the credentials that deploy'],
    ['environments', 'Environments', c.environments.join(' -> ')],
    ['approval', 'Approval before production', c.approval ? 'yes' : 'no'],
  ];
}

/**
 * The summary, one `label: value` line per answer; an answer not given is marked (default, the only choice,
 * the preset's, the git remote's). Values are made safe for a terminal.
 */
export function summaryText(c: PipelineConfig, origins: Readonly<Record<string, Origin | undefined>>): string {
  const lines = rows(c).map(([key, label, value]) => {
    const placeholder = key === 'repository' && isPlaceholderRepository(c);
    const mark = placeholder ? '(placeholder)' : MARK[origins[key] ?? 'default'];
    return `  ${`${label}:`.padEnd(28)}${clean(value)}${mark ? ` ${mark}` : ''}`;
  });
  const preset = c.preset ? [`  ${'Preset:'.padEnd(28)}${clean(c.preset.name)}`] : [];
  return ['Your answers:', ...lines, ...preset, ''].join('\n');
}
