/** appspec.yml for CodeDeploy, per target (EC2/on-premises, ECS, Lambda). */
import type { PipelineConfig } from '../model/config';
import { EC2_HOOKS, HOOKS_DIR } from '../model/layout';
import { LAMBDA_ALIAS } from '../model/plan';
import { TOKENS } from '../model/tokens';

export function renderAppspec(c: PipelineConfig): Record<string, unknown> | undefined {
  switch (c.target) {
    case 'ec2': {
      const root = `/opt/${c.name}`;
      return {
        version: 0.0,
        os: 'linux',
        files: [{ source: '/', destination: root }],
        file_exists_behavior: 'OVERWRITE',
        permissions: [{ object: root, pattern: '**', owner: 'root', group: 'root', mode: 755, type: ['directory'] }],
        hooks: Object.fromEntries(
          EC2_HOOKS.map((h) => [h.event, [{ location: `${HOOKS_DIR}/${h.script}`, timeout: h.timeout, runas: 'root' }]]),
        ),
      };
    }
    case 'ecs':
      if (c.deployment.kind !== 'codedeploy-ecs') return undefined;
      return {
        version: 0.0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: TOKENS.taskDefinition,
                LoadBalancerInfo: { ContainerName: c.plans[0].names.container, ContainerPort: c.port },
              },
            },
          },
        ],
      };
    case 'lambda':
      // One appspec for every environment: scripts/deploy/lambda.sh fills in the environment's function, versions and hooks
      // (and drops Hooks, which must stay last, for an existing function).
      return {
        version: 0.0,
        Resources: [
          {
            Function: {
              Type: 'AWS::Lambda::Function',
              Properties: {
                Name: TOKENS.functionName,
                Alias: LAMBDA_ALIAS,
                CurrentVersion: TOKENS.currentVersion,
                TargetVersion: TOKENS.targetVersion,
              },
            },
          },
        ],
        Hooks: [{ BeforeAllowTraffic: TOKENS.beforeAllowTraffic }, { AfterAllowTraffic: TOKENS.afterAllowTraffic }],
      };
    case 's3-site':
      return undefined;
  }
}
