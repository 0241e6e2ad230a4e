/**
 * AWS's naming rules for the resources the pipeline creates. Each check
 * returns undefined for a valid name, or what is wrong with it and what to
 * change, phrased to follow the name in a message.
 */

export type NameCheck = (name: string) => string | undefined;

function pattern(re: RegExp, min: number, max: number, rule: string): NameCheck {
  return (name) => {
    if (name.length < min || name.length > max) return `must be ${min}-${max} characters long (it has ${name.length})`;
    return re.test(name) ? undefined : `may contain only ${rule}`;
  };
}

/** CodePipeline: `[A-Za-z0-9.@_-]+`, 1-100 characters. */
export const pipelineName = pattern(/^[A-Za-z0-9.@_-]+$/, 1, 100, 'letters, digits, and . @ - _');

/** CodeBuild project: 2-150 characters, a letter or digit first, then letters, digits, - and _. */
export const codeBuildProjectName = pattern(
  /^[A-Za-z0-9][A-Za-z0-9_-]+$/,
  2,
  150,
  'letters, digits, - and _, starting with a letter or digit',
);

/** CodeDeploy application and deployment group: 1-100 characters. */
export const codeDeployName = pattern(/^[A-Za-z0-9._+=,@-]+$/, 1, 100, 'letters, digits, and . _ + = , @ -');

/** ECR repository: lowercase, components joined by . _ - or /, 2-256 characters. */
export const ecrRepositoryName = pattern(
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
  2,
  256,
  'lowercase letters and digits separated by single . _ - or /',
);

/** Lambda function name: 1-64 letters, digits, - and _. */
export const lambdaFunctionName = pattern(/^[A-Za-z0-9_-]+$/, 1, 64, 'letters, digits, - and _');

/** IAM role: 1-64 letters, digits and + = , . @ _ -. */
export const iamRoleName = pattern(/^[\w+=,.@-]+$/, 1, 64, 'letters, digits, and + = , . @ _ -');

/** ECS cluster and service: 1-255 letters, digits, - and _. */
export const ecsName = pattern(/^[A-Za-z0-9_-]+$/, 1, 255, 'letters, digits, - and _');

/** CloudFormation stack: a letter first, then letters, digits and -, at most 128 characters. */
export const stackName = pattern(/^[A-Za-z][A-Za-z0-9-]*$/, 1, 128, 'letters, digits and -, starting with a letter');

/** S3 general purpose bucket naming rules. */
export const s3BucketName: NameCheck = (name) => {
  const basic = pattern(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, 3, 63, 'lowercase letters, digits, . and -, starting and ending with a letter or digit')(name);
  if (basic) return basic;
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix "${prefix}"`;
  const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3', '-an'].find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix "${suffix}"`;
  return undefined;
};
