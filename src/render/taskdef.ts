/** taskdef.json for an ECS Fargate service deployed by CodeDeploy blue/green. */
import type { PipelineConfig } from '../model/config';

/** A container health check the runtime's image can run (distroless Go images have no shell: the ALB checks them). */
function healthCheck(c: PipelineConfig): string[] | undefined {
  const url = `http://localhost:${c.port}${c.healthCheckPath}`;
  switch (c.runtime) {
    case 'node':
    case 'container':
      return ['CMD', 'node', '-e', `fetch(${JSON.stringify(url)}).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`];
    case 'python':
      return ['CMD', 'python', '-c', `import urllib.request; urllib.request.urlopen(${JSON.stringify(url)}, timeout=3)`];
    case 'java':
      return ['CMD', 'curl', '--fail', '--silent', '--max-time', '3', url];
    case 'go':
      return undefined;
  }
}

export function renderTaskdef(c: PipelineConfig): Record<string, unknown> | undefined {
  if (c.deployment.kind !== 'codedeploy-ecs') return undefined;
  const command = healthCheck(c);
  return {
    family: c.name,
    executionRoleArn: '<EXECUTION_ROLE_ARN>',
    taskRoleArn: '<TASK_ROLE_ARN>',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    containerDefinitions: [
      {
        name: c.name,
        image: '<IMAGE1_NAME>',
        essential: true,
        portMappings: [{ containerPort: c.port, protocol: 'tcp' }],
        environment: [{ name: 'PORT', value: String(c.port) }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': `/ecs/${c.name}`, 'awslogs-region': c.region, 'awslogs-stream-prefix': c.name },
        },
        ...(command ? { healthCheck: { command, interval: 30, timeout: 5, retries: 3, startPeriod: 10 } } : {}),
      },
    ],
  };
}
