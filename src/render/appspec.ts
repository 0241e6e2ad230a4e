/** appspec.yml for CodeDeploy, per target (EC2/on-premises, ECS, Lambda). */
import type { PipelineConfig } from '../model/config';
import { EC2_HOOKS, HOOKS_DIR, lambdaHookNames } from './kinds';

export const LAMBDA_ALIAS = 'live';

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
                TaskDefinition: '<TASK_DEFINITION>',
                LoadBalancerInfo: { ContainerName: c.name, ContainerPort: c.port },
              },
            },
          },
        ],
      };
    case 'lambda': {
      const hooks = lambdaHookNames(c);
      return {
        version: 0.0,
        Resources: [
          {
            [c.names.lambdaFunction.replace(/[^A-Za-z0-9]/g, '')]: {
              Type: 'AWS::Lambda::Function',
              Properties: {
                Name: c.names.lambdaFunction,
                Alias: LAMBDA_ALIAS,
                CurrentVersion: '<CURRENT_VERSION>',
                TargetVersion: '<TARGET_VERSION>',
              },
            },
          },
        ],
        Hooks: [{ BeforeAllowTraffic: hooks.beforeAllowTraffic }, { AfterAllowTraffic: hooks.afterAllowTraffic }],
      };
    }
    case 's3-site':
      return undefined;
  }
}
