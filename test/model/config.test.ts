import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_STRATEGY, resolveConfig, suggestServiceName } from '../../src/model';

const refused = (options: Record<string, unknown>) => {
  try {
    resolveConfig({ name: 'svc', ...options } as never);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
};

describe('resolveConfig', () => {
  it('fills every default', () => {
    const c = resolveConfig({ name: 'my-service' });
    expect(c).toMatchObject({
      name: 'my-service',
      runtime: 'node',
      source: 'github',
      target: 'ecs',
      strategy: 'blue-green',
      ci: 'codepipeline',
      repository: 'your-org/my-service',
      branch: 'main',
      region: 'us-east-1',
      environments: ['staging', 'production'],
      approval: true,
      healthCheckPath: '/health',
      port: 8080,
      names: { pipeline: 'my-service', buildProject: 'my-service-build', deployApplication: 'my-service', stack: 'MyServicePipeline' },
    });
    expect(c.account).toBeUndefined();
  });

  it('picks each target\'s default strategy, which the matrix accepts', () => {
    for (const [target, strategy] of Object.entries(DEFAULT_STRATEGY)) {
      expect(resolveConfig({ name: 'svc', target }).strategy).toBe(strategy);
    }
  });

  it.each([
    ['My-Service'], ['1svc'], ['svc-'], ['s'], ['a--b'], ['svc;rm -rf /'], ['svc\nkey: value'], ['x'.repeat(41)], [''],
  ])('refuses the service name %j with the rule', (name) => {
    const err = refused({ name });
    expect(err.option).toBe('name');
    expect(err.message).toMatch(/use 2-40 lowercase letters, digits and single hyphens/);
  });

  it('refuses values that would break YAML, JSON or shell, naming the flag', () => {
    expect(refused({ healthCheckPath: '/health"; curl evil' }).message).toMatch(/^invalid --health-check-path .*starting with \//);
    expect(refused({ healthCheckPath: 'health' }).option).toBe('healthCheckPath');
    expect(refused({ healthCheckPath: '/a\nb: c' }).option).toBe('healthCheckPath');
    expect(refused({ healthCheckPath: '/$(id)' }).option).toBe('healthCheckPath');
    expect(refused({ port: 80 }).message).toMatch(/^invalid --port 80: use 1024-65535/);
    expect(refused({ port: 70000 }).option).toBe('port');
    expect(refused({ port: 8080.5 }).option).toBe('port');
    expect(refused({ branch: 'feat..x' }).option).toBe('branch');
    expect(refused({ branch: 'main; echo' }).option).toBe('branch');
    expect(refused({ branch: '-main' }).option).toBe('branch');
    expect(refused({ branch: 'x.lock' }).option).toBe('branch');
    expect(refused({ environments: ['staging', 'prod: x'] }).message).toMatch(/^invalid environment "prod: x"/);
    expect(refused({ environments: ['prod', 'prod'] }).message).toMatch(/each name may appear once/);
    expect(refused({ environments: [] }).option).toBe('environments');
  });

  it('checks region and account', () => {
    expect(resolveConfig({ name: 'svc', region: 'eu-west-1', account: '123456789012' })).toMatchObject({ region: 'eu-west-1', account: '123456789012' });
    expect(refused({ region: 'eu-west-9' }).message).toMatch(/^unknown --region "eu-west-9": use an AWS Region code/);
    expect(refused({ account: '12345' }).message).toMatch(/exactly 12 digits/);
    expect(refused({ account: '12345678901a' }).option).toBe('account');
  });

  it('checks the repository against the source', () => {
    expect(resolveConfig({ name: 'svc', repository: 'acme/svc' }).repository).toBe('acme/svc');
    expect(resolveConfig({ name: 'svc', source: 'gitlab', repository: 'acme/platform/svc' }).repository).toBe('acme/platform/svc');
    expect(resolveConfig({ name: 'svc', source: 'codecommit' }).repository).toBe('svc');
    expect(resolveConfig({ name: 'svc', source: 's3' }).repository).toBe('');
    expect(refused({ repository: 'svc' }).message).toMatch(/use the form owner\/repo/);
    expect(refused({ repository: 'acme/platform/svc' }).option).toBe('repository');
    expect(refused({ repository: 'acme/svc.git' }).option).toBe('repository');
    expect(refused({ source: 's3', repository: 'acme/svc' }).message).toMatch(/does not apply to an S3 source/);
    expect(refused({ source: 'codecommit', repository: 'a/b' }).option).toBe('repository');
  });

  it('refuses unknown choices, listing the valid ones', () => {
    expect(refused({ runtime: 'ruby' }).message).toBe('invalid --runtime "ruby": use one of node, python, java, go, container');
    expect(refused({ target: 'eks' }).message).toMatch(/use one of ec2, ecs, lambda, s3-site/);
    expect(refused({ ci: 'jenkins' }).option).toBe('ci');
  });

  it('checks an explicit pipeline name against CodePipeline\'s rule', () => {
    expect(resolveConfig({ name: 'svc', pipelineName: 'Svc.Release@1' }).names.pipeline).toBe('Svc.Release@1');
    expect(refused({ pipelineName: 'svc release' }).message).toBe(
      'invalid --pipeline-name: the CodePipeline name "svc release" may contain only letters, digits, and . @ - _',
    );
  });

  it('takes build secrets as references only, checked', () => {
    const c = resolveConfig({ name: 'svc', parameters: ['DB_HOST=/svc/db-host'], secrets: ['DB_PASSWORD=svc/db:password', 'TOKEN=arn:aws:secretsmanager:us-east-1:123456789012:secret:svc-token-AbCdEf'] });
    expect(c.parameters).toEqual({ DB_HOST: '/svc/db-host' });
    expect(c.secrets).toEqual({ DB_PASSWORD: 'svc/db:password', TOKEN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:svc-token-AbCdEf' });
    expect(refused({ parameters: ['db_host=/x'] }).option).toBe('parameters');
    expect(refused({ parameters: ['DB_HOST=relative'] }).message).toMatch(/use NAME=\/parameter\/path/);
    expect(refused({ parameters: ['DB_HOST=/x\ny: z'] }).option).toBe('parameters');
    expect(refused({ secrets: ['PASS=hunter2 $(id)'] }).option).toBe('secrets');
    expect(refused({ parameters: ['IMAGE_TAG=/x'] }).message).toMatch(/IMAGE_TAG is taken/);
    expect(refused({ parameters: ['A=/x'], secrets: ['A=y'] }).message).toMatch(/A is also a parameter/);
  });

  it('takes an ACM certificate of the configured Region and partition for the load balancers, where there are some', () => {
    const arn = (partition: string, region: string, account = '123456789012') => `arn:${partition}:acm:${region}:${account}:certificate/0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0`;
    expect(resolveConfig({ name: 'svc', target: 'ecs', certificateArn: arn('aws', 'us-east-1') }).certificateArn).toBe(arn('aws', 'us-east-1'));
    expect(resolveConfig({ name: 'svc', target: 'ec2', region: 'cn-north-1', certificateArn: arn('aws-cn', 'cn-north-1') }).certificateArn).toBe(arn('aws-cn', 'cn-north-1'));
    expect(resolveConfig({ name: 'svc', target: 'ecs' }).certificateArn).toBeUndefined();
    const wrong = refused({ target: 'ecs', certificateArn: arn('aws', 'eu-west-1') });
    expect(wrong.option).toBe('certificateArn');
    expect(wrong.message).toBe(`invalid --certificate-arn "${arn('aws', 'eu-west-1')}": use an ACM certificate in us-east-1, the Region of the load balancers: arn:aws:acm:us-east-1:<12-digit account>:certificate/<certificate id>`);
    expect(refused({ target: 'ec2', region: 'cn-north-1', certificateArn: arn('aws', 'cn-north-1') }).message).toMatch(/use an ACM certificate in cn-north-1, .*: arn:aws-cn:acm:cn-north-1:/);
    expect(refused({ target: 'ecs', certificateArn: 'arn:aws:iam::123456789012:server-certificate/svc' }).option).toBe('certificateArn');
    expect(refused({ target: 'ecs', certificateArn: `${arn('aws', 'us-east-1')}\nx: y` }).option).toBe('certificateArn');
    expect(refused({ target: 'ecs', certificateArn: arn('aws', 'us-east-1', '1234') }).option).toBe('certificateArn');
    expect(refused({ target: 'ecs', account: '210987654321', certificateArn: arn('aws', 'us-east-1') }).message).toMatch(/the certificate is in account 123456789012, the load balancers in 210987654321/);
    expect(refused({ target: 'lambda', certificateArn: arn('aws', 'us-east-1') }).message).toMatch(/^--certificate-arn serves HTTPS on the load balancers of the ec2 and ecs targets; lambda has none/);
    expect(refused({ target: 's3-site', certificateArn: arn('aws', 'us-east-1') }).option).toBe('certificateArn');
  });

  it('suggests a service name from a directory name', () => {
    expect(suggestServiceName('My Service_2')).toBe('my-service-2');
    expect(suggestServiceName('123')).toBe('');
    expect(suggestServiceName('--api--')).toBe('api');
  });
});

describe('existing targets and production in another account', () => {
  const refusedWith = (options: Record<string, unknown>) => {
    try {
      resolveConfig({ name: 'svc', ...options } as never);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('takes the names each kind of target needs, checked against AWS\'s rules', () => {
    const c = resolveConfig({ name: 'svc', target: 'ec2', existing: { production: { applicationName: 'app', deploymentGroupName: 'group' } } });
    expect(c.existing).toEqual({ production: { applicationName: 'app', deploymentGroupName: 'group' } });
    expect(refusedWith({ target: 'ec2', existing: { prod: { applicationName: 'a', deploymentGroupName: 'g' } } })).toMatch(/name one of the environments \(staging, production\)/);
    expect(refusedWith({ target: 'ec2', existing: { production: { applicationName: 'a' } } })).toMatch(/needs applicationName, deploymentGroupName/);
    expect(refusedWith({ target: 's3-site', existing: { production: { bucketName: 'legacy-site', serviceName: 'x' } } })).toMatch(/serviceName does not apply to a s3-deploy target/);
    expect(refusedWith({ target: 's3-site', existing: { production: { bucketName: 'Bad_Bucket' } } })).toMatch(/bucketName "Bad_Bucket" may contain only lowercase/);
  });

  it('checks an existing GitHub OIDC provider ARN', () => {
    expect(resolveConfig({ name: 'svc', githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }).githubOidcProviderArn).toMatch(/oidc-provider/);
    expect(refusedWith({ githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' })).toMatch(/use arn:aws:iam::<12-digit account>:oidc-provider\/token.actions.githubusercontent.com/);
  });

  it('needs production to exist in that account, and no Lambda', () => {
    expect(refusedWith({ target: 'ec2', productionAccount: '210987654321' })).toMatch(/needs an existing production target/);
    expect(refusedWith({ target: 'ec2', productionAccount: '123', existing: { production: { applicationName: 'a', deploymentGroupName: 'g' } } })).toMatch(/exactly 12 digits/);
    expect(refusedWith({ target: 'lambda', productionAccount: '210987654321', existing: { production: { applicationName: 'a', deploymentGroupName: 'g', functionName: 'f' } } })).toMatch(/a Lambda release runs in CodeBuild/);
  });
});
