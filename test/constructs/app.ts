/**
 * The CDK app the construct tests synthesize in: a generated repo's, with the feature flags its cdk.json sets
 * (src/render/cdk-app.ts), so what the tests check is what `npx projen cdk:synth` synthesizes there.
 */
import { App } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { cdkFeatureFlags } from '../../src/render/cdk-app';

export function repoApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...cdkFeatureFlags(), ...props.context } });
}
