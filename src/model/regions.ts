/** AWS Region codes (commercial, GovCloud, China, European Sovereign Cloud). */
export const REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
  'us-gov-east-1', 'us-gov-west-1',
  'cn-north-1', 'cn-northwest-1',
  'eusc-de-east-1',
];

/** The partition a Region belongs to: its ARN prefix and its endpoints' domain. */
export interface Partition {
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-eusc';
  readonly dnsSuffix: string;
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', dnsSuffix: 'amazonaws.com' };
  if (region.startsWith('eusc-')) return { partition: 'aws-eusc', dnsSuffix: 'amazonaws.eu' };
  return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
}

/**
 * Regions whose CloudFormation has no AWS::CodeBuild::Project: a stack with a CodeBuild project cannot be created
 * there. From the regional resource schemas `cdk synth` validates templates against (aws-cdk-lib's CloudFormation
 * validation, rule F3006 "Resource type ... does not exist in <region>"); test/model/regions.test.ts synthesizes in
 * each Region to keep this list and that validation in step.
 */
export const REGIONS_WITHOUT_CODEBUILD: readonly string[] = ['ap-east-2', 'ca-west-1', 'mx-central-1'];

/**
 * Partitions without CloudFront origin access control (AWS::CloudFront::OriginAccessControl), which the S3 static
 * site serves its private bucket through: GovCloud (no CloudFront) and China. Same source and test as above.
 */
export const PARTITIONS_WITHOUT_CLOUDFRONT_OAC: readonly Partition['partition'][] = ['aws-us-gov', 'aws-cn'];
