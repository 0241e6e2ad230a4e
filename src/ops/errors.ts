/** AWS errors as one line that says what to do. */
import type { PipelineRef } from './target';
import { UsageError } from '../cli/errors';

export function explain(err: unknown, ref: PipelineRef, action: string): Error {
  const e = err as { name?: string; message?: string; Code?: string };
  const name = e.name ?? e.Code ?? '';
  if (name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '') && !/denied/i.test(e.message ?? '')) {
    return new UsageError('no AWS credentials: run `aws configure` or `aws sso login`, or set AWS_PROFILE');
  }
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'InvalidSignatureException') {
    return new UsageError(`access denied for codepipeline:${action} on ${ref.pipeline}: use credentials allowed codepipeline:${action} on it`);
  }
  if (name === 'PipelineNotFoundException') {
    return new UsageError(`pipeline ${ref.pipeline} not found in ${ref.region}: deploy it first (npx projen cdk:deploy), or pass --region`);
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
    return new UsageError('AWS is throttling CodePipeline requests: wait a minute and run the command again');
  }
  if (name === 'ApprovalAlreadyCompletedException') return new UsageError('that approval was already answered: run status to see the pipeline now');
  if (name === 'StageNotRetryableException') return new UsageError(`the stage cannot be retried now: ${e.message ?? 'it is running or succeeded'}`);
  return new UsageError(`CodePipeline ${action} failed: ${name ? `${name}: ` : ''}${e.message ?? String(err)}`);
}
