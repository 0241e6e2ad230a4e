/** The alarms that roll a deployment back: errors and latency, per target. */
import { Duration, aws_cloudwatch as cloudwatch, aws_elasticloadbalancingv2 as elbv2 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Shared } from './shared';

/** 5xx from the targets and p99 latency behind an ALB. */
export function loadBalancerAlarms(scope: Construct, shared: Shared, lb: elbv2.ApplicationLoadBalancer): cloudwatch.Alarm[] {
  return [
    new cloudwatch.Alarm(scope, 'Target5xx', {
      alarmDescription: 'Targets answer 5xx: the deployment rolls back',
      metric: lb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: shared.errorThreshold,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'Latency', {
      alarmDescription: 'p99 response time too high: the deployment rolls back',
      metric: lb.metrics.targetResponseTime({ period: Duration.minutes(1), statistic: 'p99' }),
      threshold: shared.latencyThresholdMs / 1000,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
}
