/**
 * ECS's own blue/green, canary and linear (--ecs-engine ecs): the listener rules ECS rewrites stay as they are
 * across strategies, intervals and releases of this package (aws/aws-cdk#36649: a stack update that changes the
 * production rule resets ECS's weights), and the validation hook the stack deploys is the repo's, and works:
 * run with Node against a local HTTP server.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsPipelineStack, TEST_LISTENER_PORT } from '../../src/constructs';
import { resolveConfig } from '../../src/model';
import { renderEcsHookFiles } from '../../src/render/hooks';
import { tempDir } from '../helpers';

function template(options: Record<string, unknown>, outdir?: string): Record<string, any> {
  const app = new App(outdir ? { outdir } : {});
  const stack = new AwsPipelineStack(app, 'Stack', { name: 'svc', account: '123456789012', source: 'codecommit', target: 'ecs', ecsEngine: 'ecs', ...options } as never);
  if (outdir) app.synth();
  return Template.fromStack(stack).toJSON();
}

const rulesOf = (t: Record<string, any>) =>
  Object.fromEntries(Object.entries(t.Resources as Record<string, { Type: string; Properties: unknown }>).filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([id, r]) => [id, r.Properties]));

/**
 * The rules as this package has always written them (since --ecs-engine ecs exists). Changing this is changing
 * every deployed service's rules on its next `cdk deploy`: ECS's weights are reset (aws/aws-cdk#36649).
 */
const forward = (blue: string, green: string) => [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: blue }, Weight: 100 }, { TargetGroupArn: { Ref: green }, Weight: 0 }] } }];
const rule = (listener: string, blue: string, green: string) => ({ ListenerArn: { Ref: listener }, Priority: 1, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }], Actions: forward(blue, green) });
const PINNED_RULES = {
  EcsstagingProductionRule386A8C73: rule('EcsstagingLoadBalancerProduction64F6BD93', 'EcsstagingBlue2164A8BF', 'EcsstagingGreenD65336B0'),
  EcsstagingTestRuleF17E0817: rule('EcsstagingLoadBalancerTest28292D62', 'EcsstagingBlue2164A8BF', 'EcsstagingGreenD65336B0'),
  EcsproductionProductionRuleE44F45ED: rule('EcsproductionLoadBalancerProduction201673AF', 'EcsproductionBlueF8437A98', 'EcsproductionGreenD624F073'),
  EcsproductionTestRuleCACC6E0B: rule('EcsproductionLoadBalancerTest1CAA4AEE', 'EcsproductionBlueF8437A98', 'EcsproductionGreenD624F073'),
};

describe('the listener rules ECS moves traffic with (aws/aws-cdk#36649)', () => {
  it('are exactly the pinned ones: same logical ids, listeners, priority, condition and weights', () => {
    expect(rulesOf(template({ strategy: 'canary' }))).toEqual(PINNED_RULES);
  });

  it('do not change with the strategy, the interval, the thresholds or the tags', () => {
    const base = JSON.stringify(rulesOf(template({ strategy: 'blue-green' })));
    const changes = [{ strategy: 'canary', interval: 5 }, { strategy: 'canary', interval: 30 }, { strategy: 'linear', interval: 2 }, { strategy: 'linear', errorThreshold: 9, latencyThresholdMs: 300 }, { owner: 'team-b', tags: { CostCenter: '42' } }];
    for (const options of changes) {
      expect(JSON.stringify(rulesOf(template(options)))).toBe(base);
    }
  });

  it('serve the test listener on its own port, closed to the internet but for the NAT the hook leaves through', () => {
    const t = template({ strategy: 'blue-green' });
    const ingress = Object.values(t.Resources as Record<string, { Type: string; Properties: Record<string, any> }>)
      .flatMap((r) => (r.Type === 'AWS::EC2::SecurityGroup' ? r.Properties.SecurityGroupIngress ?? [] : []))
      .filter((i: { FromPort: number }) => i.FromPort === TEST_LISTENER_PORT);
    // One rule per load balancer: the NAT gateway's address only.
    expect(ingress).toEqual([0, 1].map(() => expect.objectContaining({ CidrIp: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^VpcPublicSubnet1EIP/), 'PublicIp'] }, '/32']] }, ToPort: TEST_LISTENER_PORT })));
  });
});

describe('the validation hook', () => {
  let server: ReturnType<typeof createServer>;
  let base = '';
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => res.writeHead(req.url === '/health' ? status : 404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const repoHook = () => {
    const dir = tempDir();
    for (const [path, text] of Object.entries(renderEcsHookFiles(resolveConfig({ name: 'svc', target: 'ecs', ecsEngine: 'ecs' })))) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return join(dir, 'hooks', 'ecs-validate');
  };

  it('as the repo gets it: SUCCEEDED for a healthy service, FAILED for a 500, run with Node', async () => {
    const { handler } = (await import(pathToFileURL(join(repoHook(), 'index.mjs')).href)) as { handler: (e: unknown, c: unknown, env: Record<string, string>) => Promise<unknown> };
    const env = { TEST_URL: `${base}/health`, POLL_MS: '10', DEADLINE_MS: '11000' };
    status = 200;
    expect(await handler({ executionDetails: {} }, undefined, env)).toEqual({ hookStatus: 'SUCCEEDED' });
    status = 500;
    expect(await handler({}, undefined, env)).toEqual({ hookStatus: 'FAILED' });
  });

  it('passes its own tests in the repo (node --test hooks/ecs-validate/index.test.mjs, what npx projen test runs)', () => {
    // The file, named: Node.js 22 and later take files or globs after --test, not a folder.
    const out = execFileSync(process.execPath, ['--test', join(repoHook(), 'index.test.mjs')], { encoding: 'utf8' });
    // Node.js 22 reports in TAP when not on a terminal, Node.js 24 in its spec format.
    expect(out).toMatch(/^(#|ℹ) pass 5\n(#|ℹ) fail 0$/m);
  });

  it('is built from the folder infra/main.ts names, into the Lambda function of each environment', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({ hookStatus: "SUCCEEDED" }); // the repo\'s own\n');
    const outdir = tempDir();
    const t = template({ strategy: 'linear', ecsHookDir: dir }, outdir);
    const hooks = Object.values(t.Resources as Record<string, { Type: string; Properties: Record<string, any> }>).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler' && r.Properties.VpcConfig);
    expect(hooks).toHaveLength(2);
    for (const h of hooks) expect(h.Properties.Environment.Variables.TEST_URL['Fn::Join'][1].slice(-1)[0]).toBe(`:${TEST_LISTENER_PORT}/health`);
    const assets = readdirSync(outdir).filter((d) => d.startsWith('asset.'));
    expect(assets.some((a) => readFileSync(join(outdir, a, 'index.mjs'), { encoding: 'utf8', flag: 'r' }).includes("the repo's own"))).toBe(true);
  });
});
