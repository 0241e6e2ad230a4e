import { describe, expect, it } from 'vitest';
import { awsNames } from '../../src/model';

describe('AWS name rules', () => {
  const cases: Array<[string, awsNames.NameCheck, string[], Array<[string, RegExp]>]> = [
    ['pipeline', awsNames.pipelineName, ['my-pipe', 'a', 'A.b@c_d-e', 'x'.repeat(100)], [['', /1-100/], ['x'.repeat(101), /1-100/], ['my pipe', /letters, digits/], ['a/b', /letters/]]],
    ['CodeBuild project', awsNames.codeBuildProjectName, ['ab', 'my_build-1', 'x'.repeat(150)], [['a', /2-150/], ['-abc', /starting with a letter or digit/], ['a.b', /may contain only/], ['x'.repeat(151), /2-150/]]],
    ['CodeDeploy', awsNames.codeDeployName, ['app', 'a.b_c+d=e,f@g-h'], [['', /1-100/], ['a b', /may contain only/], ['a/b', /may contain only/]]],
    ['ECR repository', awsNames.ecrRepositoryName, ['my-app', 'team/my-app', 'a.b_c'], [['My-App', /lowercase/], ['a--', /lowercase/], ['/a', /lowercase/], ['a', /2-256/]]],
    ['Lambda function', awsNames.lambdaFunctionName, ['fn', 'My_Fn-1'], [['x'.repeat(65), /1-64/], ['fn.1', /may contain only/]]],
    ['ECS', awsNames.ecsName, ['cluster_1-a'], [['a b', /may contain only/]]],
    ['stack', awsNames.stackName, ['MyStack-1'], [['1stack', /starting with a letter/], ['my_stack', /letters, digits and -/]]],
    ['S3 bucket', awsNames.s3BucketName, ['my-bucket', 'a.b.c', 'abc', 'x'.repeat(63)], [
      ['ab', /3-63/], ['My-Bucket', /lowercase/], ['-abc', /starting and ending/], ['a..b', /adjacent periods/],
      ['192.168.1.1', /IP address/], ['xn--abc', /prefix "xn--"/], ['sthree-abc', /prefix "sthree-"/],
      ['amzn-s3-demo-x', /prefix "amzn-s3-demo-"/], ['abc-s3alias', /suffix "-s3alias"/], ['abc--ol-s3', /suffix "--ol-s3"/],
      ['abc.mrap', /suffix ".mrap"/], ['abc--x-s3', /suffix "--x-s3"/], ['abc--table-s3', /suffix "--table-s3"/], ['abc-an', /suffix "-an"/],
    ]],
  ];

  it.each(cases)('%s: accepts valid names and says what is wrong with the others', (_what, check, good, bad) => {
    for (const name of good) expect(check(name), name).toBeUndefined();
    for (const [name, problem] of bad) expect(check(name), name).toMatch(problem);
  });
});
