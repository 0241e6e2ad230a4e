/** A Mermaid flowchart of the pipeline as configured, for the generated docs. */
import { mermaidText } from './escape';
import type { PipelineConfig } from '../model/config';
import { hasIntegrationTests, usesCodePipeline } from '../model/layout';

/** A quoted Mermaid label of these lines, each escaped: no value can end the label or add markup. */
const label = (...lines: string[]) => `"${lines.map(mermaidText).join('<br/>')}"`;

function deployLabel(c: PipelineConfig, environment: string): string[] {
  const d = c.deployment;
  const how =
    'config' in d
      ? d.config
      : d.kind === 'ecs-rolling'
        ? `ECS rolling update, ${d.minimumHealthyPercent}% healthy`
        : d.kind === 'ecs-native'
          ? `ECS ${d.strategy}${d.stepPercent ? ` ${d.stepPercent}% ${d.strategy === 'CANARY' ? 'then the rest after' : 'every'} ${d.stepBakeMinutes} min` : ''}, bake ${d.bakeMinutes} min`
          : usesCodePipeline(c)
            ? 'S3 deploy action'
            : 'S3 sync, CloudFront invalidation';
  const existing = c.existing[environment] ? ' (existing)' : '';
  return [`Deploy ${environment}${existing}`, `${c.target}: ${how}`];
}

export function renderDiagram(c: PipelineConfig): string {
  const lines = ['flowchart LR'];
  const source = c.source === 's3' ? ['S3 source.zip'] : [`${c.source} ${c.repository}`, `branch ${c.branch}`];
  const runner = usesCodePipeline(c) ? 'CodeBuild' : 'GitHub Actions';
  lines.push(`  source[${label('Source', ...source)}]`);
  lines.push(`  build[${label(`Build (${runner})`, 'lint, unit tests, build')}]`);
  lines.push('  source --> build');
  let previous = 'build';
  if (hasIntegrationTests(c)) {
    lines.push(`  integration[${label('Integration tests')}]`, '  source --> integration');
  }
  c.environments.forEach((environment, i) => {
    const id = `deploy_${environment}`;
    if (i === c.environments.length - 1 && c.approval) {
      lines.push(`  approve{${label(usesCodePipeline(c) ? 'Manual approval' : 'Required reviewers')}}`, `  ${previous} --> approve`);
      previous = 'approve';
    }
    lines.push(`  ${id}[${label(...deployLabel(c, environment))}]`, `  ${previous} --> ${id}`);
    previous = id;
  });
  // An S3 site has no traffic to shift back: nothing rolls it back (docs/pipeline.md says how to by hand).
  if (c.deployment.kind !== 's3-deploy') lines.push(`  alarms((${label('Alarms: errors, latency', 'roll back')})) -.-> ${previous}`);
  return lines.join('\n');
}
