/** AWS errors as one line that says what to do; what the error says is printed without terminal escapes. */
import type { PipelineRef } from './target';
import { clean } from './text';
import { UsageError } from '../cli/errors';

export function explain(err: unknown, ref: PipelineRef, action: string): Error {
  const raw = (err ?? {}) as { name?: unknown; message?: unknown; Code?: unknown };
  const text = (v: unknown) => (typeof v === 'string' ? clean(v) : undefined);
  const e = { name: text(raw.name), message: text(raw.message), Code: text(raw.Code) };
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
  if (name === 'StageNotRetryableException') return new UsageError(`the stage cannot be retried now: ${e.message || 'it is running or succeeded'}`);
  return new UsageError(`CodePipeline ${action} failed: ${name ? `${name}: ` : ''}${e.message ?? clean(String(err))}`);
}
