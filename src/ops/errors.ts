/** AWS errors as one line that says what to do; what the error says is printed without terminal escapes. */
import { credentialsProblem, isCredentialsError } from './credentials';
import type { CredentialsContext } from './credentials';
import type { PipelineRef } from './target';
import { clean } from './text';
import { UsageError } from '../cli/errors';

/**
 * A day-2 command's error: one line for the user and a stable code, which
 * `--json` prints as {"error": {"code", "message"}}.
 */
export class OpsError extends UsageError {
  constructor(
    readonly code: string,
    message: string,
    exitCode = 1,
  ) {
    super(message, exitCode);
  }
}

/** The error's name (or Code) and message, as text; what it says cleaned of terminal escapes. */
export function errorText(err: unknown): { name: string; message: string | undefined } {
  const raw = (err ?? {}) as { name?: unknown; message?: unknown; Code?: unknown };
  const text = (v: unknown) => (typeof v === 'string' ? clean(v) : undefined);
  return { name: text(raw.name) ?? text(raw.Code) ?? '', message: typeof raw.message === 'string' ? raw.message : undefined };
}

/** Whether explaining this error needs the credentials context (./credentials). */
export function needsCredentialsContext(err: unknown): boolean {
  return isCredentialsError(errorText(err).name);
}

export function explain(err: unknown, ref: PipelineRef, action: string, credentials?: CredentialsContext): OpsError {
  const { name, message: raw } = errorText(err);
  const message = raw === undefined ? undefined : clean(raw);
  if (isCredentialsError(name)) {
    const p = credentialsProblem(name, raw ?? '', credentials ?? { env: process.env, profiles: undefined });
    return new OpsError(p.code, p.message);
  }
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'InvalidSignatureException') {
    return new OpsError('AccessDenied', `access denied for codepipeline:${action} on ${ref.pipeline}: use credentials allowed codepipeline:${action} on it`);
  }
  if (name === 'PipelineNotFoundException') {
    return new OpsError('PipelineNotFound', `pipeline ${ref.pipeline} not found in ${ref.region}: deploy it first (npx projen cdk:deploy), or pass --region`);
  }
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
    return new OpsError('Throttling', 'AWS is throttling CodePipeline requests: wait a minute and run the command again');
  }
  if (name === 'ApprovalAlreadyCompletedException') return new OpsError('ApprovalAlreadyCompleted', 'that approval was already answered: run status to see the pipeline now');
  if (name === 'StageNotRetryableException') return new OpsError('StageNotRetryable', `the stage cannot be retried now: ${message || 'it is running or succeeded'}`);
  return new OpsError(name || 'AwsError', `CodePipeline ${action} failed: ${name ? `${name}: ` : ''}${message ?? clean(String(err))}`);
}
