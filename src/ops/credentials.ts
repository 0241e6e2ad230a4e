/**
 * Why the SDK has no usable AWS credentials, as one line that names the cause
 * and the fix: no credentials anywhere, an unknown profile, a profile without
 * credentials, no SSO session, an expired SSO session, incomplete SSO
 * settings, expired credentials. The SDK's default chain reports an unknown
 * profile as "Could not load credentials from any providers", so that case is
 * told apart with the SDK's own reading of ~/.aws (./sdk `loadProfiles`).
 */
import { clean, truncate } from './text';

/** The profiles the SDK reads, by name, with their settings (as @smithy/core/config's parseKnownFiles returns them). */
export type Profiles = Record<string, Record<string, string | undefined> | undefined>;

export interface CredentialsContext {
  readonly env: NodeJS.ProcessEnv;
  /** undefined: the SDK's reader could not be loaded, so nothing is known of the files. */
  readonly profiles: Profiles | undefined;
}

const SDK_ERRORS = ['CredentialsProviderError', 'TokenProviderError'];
const EXPIRED = ['ExpiredTokenException', 'ExpiredToken'];

/** An error about the credentials themselves: from the SDK's providers, or AWS saying they have expired. */
export function isCredentialsError(name: string): boolean {
  return SDK_ERRORS.includes(name) || EXPIRED.includes(name);
}

/** Shell-quoted when it has to be, for a command to copy. */
const shq = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/** A stable code (printed by --json) and the line. */
export interface CredentialsProblem {
  readonly code: string;
  readonly message: string;
}

const problem = (code: string, message: string): CredentialsProblem => ({ code, message });

export function credentialsProblem(name: string, message: string, ctx: CredentialsContext): CredentialsProblem {
  const { env } = ctx;
  const chosen = env.AWS_PROFILE || undefined;
  const profile = chosen ?? 'default';
  // As the SDK reads them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else under HOME).
  const files = `${env.AWS_CONFIG_FILE ? clean(env.AWS_CONFIG_FILE) : '~/.aws/config'} or ${env.AWS_SHARED_CREDENTIALS_FILE ? clean(env.AWS_SHARED_CREDENTIALS_FILE) : '~/.aws/credentials'}`;
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ? clean(env.AWS_SHARED_CREDENTIALS_FILE) : '~/.aws/credentials';
  const the = chosen ? `profile ${clean(chosen)}` : 'the default profile';
  const flag = chosen ? ` --profile ${shq(clean(chosen))}` : '';
  const mine = ctx.profiles && Object.keys(ctx.profiles).filter((p) => !/^(sso-session|services)\./.test(p));
  const yours = mine?.length ? `one of yours (${mine.slice(0, 10).map(clean).join(', ')}${mine.length > 10 ? ', ...' : ''})` : undefined;
  const first = clean(message.split('\n')[0]);

  if (EXPIRED.includes(name)) {
    if (!chosen && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      return problem('CredentialsExpired', `the AWS credentials in the environment have expired (${name}): get new ones and set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN again`);
    }
    const settings = ctx.profiles?.[profile];
    if (settings && (settings.sso_session || settings.sso_start_url)) {
      return problem('CredentialsExpired', `the AWS credentials of ${the} have expired (${name}): run \`aws sso login${flag}\``);
    }
    if (settings) return problem('CredentialsExpired', `the AWS credentials of ${the} have expired (${name}): put new ones in ${credentialsFile}, or get them again the way you got them`);
    return problem('CredentialsExpired', `the AWS credentials have expired (${name}): get new ones and run the command again`);
  }

  // SSO: never logged in, logged out, or a cached token without what a refresh needs.
  if (/SSO session token associated with profile=.* was not found or is invalid|SSO session associated with this profile is invalid|Value not present for '\w+' in SSO Token/.test(message)) {
    return problem('SsoLoginNeeded', `no AWS SSO session for ${the} (not logged in, or logged out): run \`aws sso login${flag}\``);
  }
  if (/^Token is expired|SSO session associated with this profile has expired/.test(message)) {
    return problem('SsoSessionExpired', `the AWS SSO session of ${the} has expired: run \`aws sso login${flag}\``);
  }
  if (/invalid SSO credentials|Sso session '.*' (could not be found|is missing required property)|missing required property 'sso_session'|Conflicting SSO/.test(message)) {
    return problem('SsoSettingsIncomplete', `the SSO settings of ${the} are incomplete (${first}): run \`aws configure sso${flag}\``);
  }

  if (/Could not load credentials from any providers|Could not resolve credentials using profile/.test(message)) {
    const settings = ctx.profiles?.[profile];
    if (chosen && ctx.profiles && !settings) {
      const fix = yours ? `set AWS_PROFILE to ${yours}, or create it with \`aws configure sso${flag}\`` : `create it with \`aws configure sso${flag}\`, or unset AWS_PROFILE`;
      return problem('ProfileNotFound', `no AWS profile ${clean(chosen)} (AWS_PROFILE) in ${files}: ${fix}`);
    }
    if (settings) {
      const which = chosen ? `profile ${clean(chosen)} (AWS_PROFILE)` : 'the default profile';
      return problem('NoCredentials', `no AWS credentials in ${which}: ${whyNone(settings, ctx.profiles as Profiles, files, flag)}`);
    }
    if (!chosen && yours) return problem('NoCredentials', `no AWS credentials: AWS_PROFILE is not set and there is no default profile: set AWS_PROFILE to ${yours}`);
    if (!chosen && ctx.profiles) {
      return problem('NoCredentials', `no AWS credentials: none in the environment, and no profile in ${files}: run \`aws configure sso\` (or \`aws configure\`), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`);
    }
    // The files could not be read with the SDK's reader: what is known.
    return problem('NoCredentials', `no AWS credentials for ${the} (in the environment or ${files}): run \`aws configure sso${flag}\` (or \`aws configure${flag}\`), or set AWS_PROFILE`);
  }
  // Any other provider failure: the SDK's words.
  return problem('CredentialsError', `could not get AWS credentials for ${the}: ${first || name}`);
}

/**
 * Why a profile that exists gave no credentials, from its settings: the SDK's chain
 * says only "Could not load credentials from any providers" for each of these.
 */
function whyNone(settings: Record<string, string | undefined>, profiles: Profiles, files: string, flag: string): string {
  const v = (key: string) => clean(settings[key]);
  if (settings.credential_process) return `its credential_process (${truncate(v('credential_process'), 80)}) gave none: run it to see why`;
  if (settings.role_arn) {
    const source = settings.source_profile;
    if (source !== undefined && !profiles[source]) return `it assumes ${v('role_arn')} with source_profile ${clean(source)}, which is not a profile in ${files}: fix source_profile`;
    if (source !== undefined) return `it assumes ${v('role_arn')} with the credentials of profile ${clean(source)}, which gave none: fix profile ${clean(source)}`;
    if (!settings.credential_source) return 'it has role_arn but no source_profile or credential_source: add one';
    return `it assumes ${v('role_arn')} with credential_source ${v('credential_source')}, which gave none`;
  }
  if (settings.aws_access_key_id && !settings.aws_secret_access_key) return `it has aws_access_key_id but no aws_secret_access_key: run \`aws configure${flag}\``;
  return `it has no keys, SSO, role or credential_process: run \`aws configure sso${flag}\` or \`aws configure${flag}\``;
}
