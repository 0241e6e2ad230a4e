/** An S3 static site: a private, encrypted, TLS-only bucket behind CloudFront, deployed by the S3 deploy action. */
import {
  Duration,
  RemovalPolicy,
  aws_cloudfront as cloudfront,
  aws_cloudfront_origins as origins,
  aws_cloudwatch as cloudwatch,
  aws_codepipeline_actions as actions,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentPlan } from '../../model/plan';
import type { EnvironmentTarget, Shared } from '../shared';

/** CloudFront publishes its metrics in US East (N. Virginia) only, and an alarm watches metrics of its own Region. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

export function s3SiteTarget(shared: Shared, plan: EnvironmentPlan): EnvironmentTarget {
  const { environment } = plan;
  const scope = new Construct(shared.scope, `Site-${environment}`);
  const logs = shared.accessLogs;
  const bucket = new s3.Bucket(scope, 'Bucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: `site/${environment}/`,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const distribution = new cloudfront.Distribution(scope, 'Distribution', {
    defaultBehavior: {
      origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    },
    defaultRootObject: 'index.html',
    enableLogging: true,
    logBucket: logs,
    logFilePrefix: `cloudfront/${environment}/`,
  });
  // Elsewhere the alarm would watch a metric that does not exist in its Region (docs/pipeline.md says how to add one in us-east-1).
  const alarms = shared.config.region !== CLOUDFRONT_METRICS_REGION ? [] : [
    new cloudwatch.Alarm(scope, 'ErrorRate', {
      alarmDescription: 'CloudFront answers 5xx: look at the last deployment',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
        period: Duration.minutes(5),
        statistic: 'Average',
        region: CLOUDFRONT_METRICS_REGION,
      }),
      threshold: shared.errorThreshold,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
  return {
    alarms,
    grantDeploy: (grantee) => {
      bucket.grantReadWrite(grantee);
      bucket.grantDelete(grantee);
      distribution.grantCreateInvalidation(grantee);
    },
    outputs: { [plan.outputs.siteBucket]: bucket.bucketName, [plan.outputs.distributionId]: distribution.distributionId },
    actions: (input, runOrder) => [
      new actions.S3DeployAction({
        actionName: 'Deploy',
        bucket,
        input,
        extract: true,
        cacheControl: [actions.CacheControl.setPublic(), actions.CacheControl.maxAge(Duration.minutes(5))],
        runOrder,
      }),
    ],
  };
}
