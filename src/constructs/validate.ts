/** Checks of deployment-only values, made before CloudFormation would fail on them. */
import { Token } from 'aws-cdk-lib';
import { REGIONS } from '../model/regions';

const CONNECTION_ARN = /^arn:aws(?:-[a-z]+)*:(?:codeconnections|codestar-connections):([a-z0-9-]+):(\d{12}):connection\/[0-9a-f-]{36}$/;

/** Undefined when fine (or unresolved until deploy time), else the message. */
export function connectionArnProblem(arn: string | undefined): string | undefined {
  if (arn === undefined || Token.isUnresolved(arn)) return undefined;
  const m = CONNECTION_ARN.exec(arn);
  if (!m) return `invalid connectionArn ${JSON.stringify(arn)}: use arn:aws:codeconnections:<region>:<12-digit account>:connection/<uuid>, from the CodeConnections console`;
  if (!REGIONS.includes(m[1])) return `invalid connectionArn ${JSON.stringify(arn)}: unknown region ${m[1]}`;
  return undefined;
}

export function buildCacheProblem(value: string | undefined): string | undefined {
  return value === undefined || value === 'local' || value === 's3' ? undefined : `invalid buildCache ${JSON.stringify(value)}: use local or s3`;
}
