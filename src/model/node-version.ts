/**
 * The Node.js major version of generated repos, in one place: the newest that every place their code
 * runs offers. Each name below derives from it, and test/model/node-version.test.ts finds it in every
 * emitted file that names a Node.js version.
 *
 * Checked for 24:
 * - Lambda: `nodejs24.x` on Amazon Linux 2023, deprecated Apr 30, 2028 (`nodejs22.x` Apr 30, 2027;
 *   `nodejs20.x` Apr 30, 2026): https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html.
 *   Node.js 24 takes async handlers only (no callback); ours are async.
 * - CodeBuild `aws/codebuild/standard:8.0` (src/constructs/build-image.ts): `runtime-versions`
 *   nodejs 22 and 24 (aws/aws-codebuild-docker-images, ubuntu/standard/8.0/runtimes.yml).
 * - Amazon Linux 2023 (the EC2 hosts): Node.js 20, 22 and 24, as `nodejs24` and `nodejs24-npm`:
 *   https://docs.aws.amazon.com/linux/al2023/ug/nodejs.html.
 * - aws-cdk-lib: `lambda.Runtime.NODEJS_24_X` (src/constructs/targets/lambda.ts fails on a runtime
 *   the installed aws-cdk-lib does not know).
 */
export const NODE_MAJOR = 24;

/**
 * The Node.js majors in support (Node.js 20 reached its end of life in April 2026), which this package and a
 * generated repo's own tools (projen, the CDK app, the sample app's tests) run on, on a developer's machine.
 * A generated repo's `engines` and `@types/node` take the oldest, so `npm install` on either version warns
 * of no engine, and the infra code type-checks against what both offer. What runs in AWS takes NODE_MAJOR.
 */
export const SUPPORTED_NODE_MAJORS = [22, 24] as const;
export const MIN_NODE_MAJOR = SUPPORTED_NODE_MAJORS[0];

export const NODE = {
  major: NODE_MAJOR,
  /** CodeBuild's `runtime-versions` nodejs, and actions/setup-node's `node-version`. */
  version: `${NODE_MAJOR}`,
  /** The Lambda runtime of a zip function. */
  lambdaRuntime: `nodejs${NODE_MAJOR}.x`,
  /** Amazon Linux 2023's packages of node and npm (it ships npm apart). */
  hostPackage: `nodejs${NODE_MAJOR} nodejs${NODE_MAJOR}-npm`,
  /** `engines.node` of the sample app's package.json: it runs on NODE_MAJOR in AWS, and its tests on either supported major. */
  engines: `>=${MIN_NODE_MAJOR}`,
  /** projen's minNodeVersion for the generated repo: its `engines.node` and `@types/node@^<major>`. */
  minNodeVersion: `${MIN_NODE_MAJOR}.0.0`,
  /** The sample app's build and server image. */
  image: `public.ecr.aws/docker/library/node:${NODE_MAJOR}-alpine`,
  /** The base of a container Lambda function (the sample app's and the bootstrap image). */
  lambdaImage: `public.ecr.aws/lambda/nodejs:${NODE_MAJOR}`,
} as const;
