/** The public listeners of a target's load balancer, and the URL they serve the app on. */
import { aws_elasticloadbalancingv2 as elbv2 } from 'aws-cdk-lib';
import type { Shared } from './shared';

export interface ServingListener {
  /** The listener the app's targets are behind (CodeDeploy's production listener for ECS blue/green). */
  readonly listener: elbv2.ApplicationListener;
  /** The service's URL at the load balancer's own DNS name. */
  readonly url: string;
}

/**
 * HTTP on 80 serves the app; or, with the config's ACM certificate, HTTPS on 443 (TLS 1.3 and 1.2 only:
 * ELBSecurityPolicy-TLS13-1-2-2021-06) serves it and 80 answers with a permanent redirect to 443. The port-80
 * listener keeps its id (`httpId`) either way, so adding a certificate changes its action rather than replacing it.
 */
export function servingListener(lb: elbv2.ApplicationLoadBalancer, shared: Shared, httpId: string): ServingListener {
  const certificateArn = shared.config.certificateArn;
  if (!certificateArn) return { listener: lb.addListener(httpId, { port: 80, open: true }), url: `http://${lb.loadBalancerDnsName}` };
  lb.addListener(httpId, { port: 80, open: true, defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }) });
  const listener = lb.addListener('Https', {
    port: 443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    open: true,
  });
  return { listener, url: `https://${lb.loadBalancerDnsName}` };
}

/** The stack output key of an environment's service URL. */
export const serviceUrlKey = (environment: string) => `ServiceUrl${environment.charAt(0).toUpperCase()}${environment.slice(1)}`;
