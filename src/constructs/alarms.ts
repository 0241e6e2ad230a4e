/** The alarms that roll a deployment back: errors and latency, per target. */
import { Duration, aws_cloudwatch as cloudwatch, aws_elasticloadbalancingv2 as elbv2 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Shared } from './shared';

/**
 * The fixed names of an ECS service's load balancer alarms. Its deployment alarms are given by name: a generated name
 * (a Ref to the alarm) is what CDK reports as a possible circular dependency between the service and its alarms.
 */
export const loadBalancerAlarmNames = (prefix: string) => ({ errors: `${prefix}-5xx`, latency: `${prefix}-latency` });

/** 5xx from the targets and p99 latency behind an ALB; named by `names` when given, else CloudFormation names them. */
export function loadBalancerAlarms(scope: Construct, shared: Shared, lb: elbv2.ApplicationLoadBalancer, names?: ReturnType<typeof loadBalancerAlarmNames>): cloudwatch.Alarm[] {
  return [
    new cloudwatch.Alarm(scope, 'Target5xx', {
      ...(names ? { alarmName: names.errors } : {}),
      alarmDescription: 'Targets answer 5xx: the deployment rolls back',
      metric: lb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: shared.errorThreshold,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'Latency', {
      ...(names ? { alarmName: names.latency } : {}),
      alarmDescription: 'p99 response time too high: the deployment rolls back',
      metric: lb.metrics.targetResponseTime({ period: Duration.minutes(1), statistic: 'p99' }),
      threshold: shared.latencyThresholdMs / 1000,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
}
