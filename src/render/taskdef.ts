/**
 * taskdef.json: the ECS Fargate task of every environment. The build renders one per environment
 * (scripts/deploy/render-taskdef.sh: family, roles, log group from the plan); the deploy puts the image in.
 * The container runs the image's own entrypoint: nothing here overrides its command.
 */
import type { PipelineConfig } from '../model/config';
import { TOKENS } from '../model/tokens';

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
  if (c.target !== 'ecs') return undefined;
  const command = healthCheck(c);
  const container = c.plans[0].names.container;
  return {
    family: TOKENS.family,
    executionRoleArn: TOKENS.executionRoleArn,
    taskRoleArn: TOKENS.taskRoleArn,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    containerDefinitions: [
      {
        name: container,
        image: TOKENS.image,
        essential: true,
        portMappings: [{ containerPort: c.port, protocol: 'tcp' }],
        environment: [{ name: 'PORT', value: String(c.port) }],
        logConfiguration: {
          logDriver: 'awslogs',
          // The stack creates each environment's group; an existing environment's is created on first use.
          options: { 'awslogs-group': TOKENS.logGroup, 'awslogs-create-group': 'true', 'awslogs-region': c.region, 'awslogs-stream-prefix': container },
        },
        ...(command ? { healthCheck: { command, interval: 30, timeout: 5, retries: 3, startPeriod: 10 } } : {}),
      },
    ],
  };
}
