/**
 * Each credentials problem, as the real SDK meets it (a HOME of its own with
 * ~/.aws/config and ~/.aws/credentials, SSO's token cache, an SSO OIDC and a
 * CodePipeline endpoint here), gives one line that names its cause and the fix.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { opsRepo, runInProcess, startFakeCodePipeline } from './fake-codepipeline';
import type { FakeCodePipeline, Reply } from './fake-codepipeline';
import { credentialsProblem } from '../../src/ops/credentials';
import { tempDir } from '../helpers';

const fine: Reply = (op) => (op === 'GetPipelineState' ? { status: 200, body: { stageStates: [] } } : { status: 200, body: { pipelineExecutionSummaries: [] } });

let fake: FakeCodePipeline;
beforeAll(async () => {
  fake = await startFakeCodePipeline(fine);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls = [];
  fake.reply = fine;
});

let sessions = 0;

/** A HOME with these files under .aws/ (and an SSO session name of its own: the SDK remembers refresh attempts per session). */
function home(files: { config?: string; credentials?: string } = {}): string {
  const dir = tempDir('cap-home-');
  mkdirSync(join(dir, '.aws', 'sso', 'cache'), { recursive: true });
  if (files.config !== undefined) writeFileSync(join(dir, '.aws', 'config'), files.config);
  if (files.credentials !== undefined) writeFileSync(join(dir, '.aws', 'credentials'), files.credentials);
  return dir;
}

function ssoConfig(session: string): string {
  return [
    '[profile sso-dev]',
    `sso_session = ${session}`,
    'sso_account_id = 111122223333',
    'sso_role_name = Developer',
    'region = eu-west-1',
    '',
    `[sso-session ${session}]`,
    'sso_start_url = https://corp.awsapps.com/start',
    'sso_region = eu-west-1',
    'sso_registration_scopes = sso:account:access',
    '',
  ].join('\n');
}

/** The token `aws sso login` caches for a session, expired an hour ago. */
function expiredToken(homeDir: string, session: string): void {
  const file = join(homeDir, '.aws', 'sso', 'cache', `${createHash('sha1').update(session).digest('hex')}.json`);
  const token = { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', accessToken: 'a', expiresAt: new Date(Date.now() - 3_600_000).toISOString(), clientId: 'c', clientSecret: 's', refreshToken: 'r' };
  writeFileSync(file, JSON.stringify(token));
}

/** Only what HOME and these variables say: no keys in the environment, no AWS_PROFILE unless given. */
async function status(homeDir: string, env: Record<string, string | undefined> = {}) {
  return runInProcess(['status', '--dir', opsRepo()], fake.endpoint, {
    HOME: homeDir,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: undefined,
    AWS_SHARED_CREDENTIALS_FILE: undefined,
    ...env,
  });
}

function expectLine(r: { code: number | null; stdout: string; stderr: string }, line: string) {
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`error ${line}\n`);
  expect(r.code).toBe(1);
}

describe('credentials problems, each named', () => {
  it('none at all: no keys, no ~/.aws', async () => {
    expectLine(
      await status(home()),
      'no AWS credentials: none in the environment, and no profile in ~/.aws/config or ~/.aws/credentials: run `aws configure sso` (or `aws configure`), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(fake.calls).toEqual([]);
  });

  it('profiles, but none chosen and no default', async () => {
    expectLine(await status(home({ config: ssoConfig(`s${++sessions}`) })), 'no AWS credentials: AWS_PROFILE is not set and there is no default profile: set AWS_PROFILE to one of yours (sso-dev)');
  });

  it('AWS_PROFILE names a profile that does not exist', async () => {
    expectLine(
      await status(home({ config: ssoConfig(`s${++sessions}`), credentials: '[ci]\naws_access_key_id = AKID\naws_secret_access_key = x\n' }), { AWS_PROFILE: 'missing' }),
      'no AWS profile missing (AWS_PROFILE) in ~/.aws/config or ~/.aws/credentials: set AWS_PROFILE to one of yours (sso-dev, ci), or create it with `aws configure sso --profile missing`',
    );
  });

  it('AWS_PROFILE set, and no profiles at all', async () => {
    expectLine(
      await status(home(), { AWS_PROFILE: 'missing' }),
      'no AWS profile missing (AWS_PROFILE) in ~/.aws/config or ~/.aws/credentials: create it with `aws configure sso --profile missing`, or unset AWS_PROFILE',
    );
  });

  it('a profile with no credentials in it', async () => {
    expectLine(
      await status(home({ config: '[profile foo]\nregion = eu-west-1\n' }), { AWS_PROFILE: 'foo' }),
      'no AWS credentials in profile foo (AWS_PROFILE): it has no keys, SSO, role or credential_process: run `aws configure sso --profile foo` or `aws configure --profile foo`',
    );
  });

  it.each([
    ['a credential_process that fails', '[profile p]\ncredential_process = /bin/false\n', 'its credential_process (/bin/false) gave none: run it to see why'],
    ['a role without a source', '[profile p]\nrole_arn = arn:aws:iam::111122223333:role/r\n', 'it has role_arn but no source_profile or credential_source: add one'],
    [
      'a role whose source_profile is not there',
      '[profile p]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = base\n',
      'it assumes arn:aws:iam::111122223333:role/r with source_profile base, which is not a profile in ~/.aws/config or ~/.aws/credentials: fix source_profile',
    ],
    ['half a key pair', '[profile p]\naws_access_key_id = AKID\n', 'it has aws_access_key_id but no aws_secret_access_key: run `aws configure --profile p`'],
  ])('a profile whose credentials fail to come: %s', async (_, config, why) => {
    expectLine(await status(home({ config }), { AWS_PROFILE: 'p' }), `no AWS credentials in profile p (AWS_PROFILE): ${why}`);
  });

  it('an SSO profile never logged in (sso-session)', async () => {
    expectLine(await status(home({ config: ssoConfig(`s${++sessions}`) }), { AWS_PROFILE: 'sso-dev' }), 'no AWS SSO session for profile sso-dev (not logged in, or logged out): run `aws sso login --profile sso-dev`');
  });

  it('an SSO profile never logged in (legacy, sso_start_url in the profile)', async () => {
    const config = '[profile legacy]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = Dev\n';
    expectLine(await status(home({ config }), { AWS_PROFILE: 'legacy' }), 'no AWS SSO session for profile legacy (not logged in, or logged out): run `aws sso login --profile legacy`');
  });

  it('the default profile is SSO and never logged in: the command has no --profile', async () => {
    const config = ssoConfig(`s${++sessions}`).replace('[profile sso-dev]', '[default]');
    expectLine(await status(home({ config })), 'no AWS SSO session for the default profile (not logged in, or logged out): run `aws sso login`');
  });

  it('an SSO session that has expired, and whose refresh SSO refuses', async () => {
    const session = `s${++sessions}`;
    const dir = home({ config: ssoConfig(session) });
    expiredToken(dir, session);
    // SSO OIDC's CreateToken (the refresh) reaches the fake, which refuses it, as SSO does once the session is over.
    fake.reply = (op) => (op === '' ? { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token provided' } } : fine(op, {}));
    const r = await status(dir, { AWS_PROFILE: 'sso-dev', AWS_ENDPOINT_URL_SSO_OIDC: fake.endpoint });
    expectLine(r, 'the AWS SSO session of profile sso-dev has expired: run `aws sso login --profile sso-dev`');
    expect(fake.calls.map((c) => c.op)).toEqual(['']);
  });

  it('incomplete SSO settings: what the SDK says is missing', async () => {
    expectLine(
      await status(home({ config: '[profile half]\nsso_start_url = https://corp.awsapps.com/start\n' }), { AWS_PROFILE: 'half' }),
      'the SSO settings of profile half are incomplete (Profile is configured with invalid SSO credentials. Required parameters "sso_account_id", "sso_region", "sso_role_name", "sso_start_url". Got sso_start_url): run `aws configure sso --profile half`',
    );
  });

  it('expired session credentials in the environment: AWS says ExpiredTokenException', async () => {
    fake.reply = () => ({ status: 400, body: { __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' } });
    const r = await status(home(), { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 'old' });
    expectLine(r, 'the AWS credentials in the environment have expired (ExpiredTokenException): get new ones and set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN again');
  });

  it("expired credentials of a profile's keys", async () => {
    fake.reply = () => ({ status: 400, body: { __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' } });
    const r = await status(home({ credentials: '[tmp]\naws_access_key_id = ASIA\naws_secret_access_key = x\naws_session_token = old\n' }), { AWS_PROFILE: 'tmp' });
    expectLine(r, 'the AWS credentials of profile tmp have expired (ExpiredTokenException): put new ones in ~/.aws/credentials, or get them again the way you got them');
  });

  it('names the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point at', async () => {
    const dir = home();
    const r = await status(dir, { AWS_PROFILE: 'missing', AWS_CONFIG_FILE: join(dir, 'cfg'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'creds') });
    expectLine(r, `no AWS profile missing (AWS_PROFILE) in ${join(dir, 'cfg')} or ${join(dir, 'creds')}: create it with \`aws configure sso --profile missing\`, or unset AWS_PROFILE`);
  });
});

describe('without the SDK reader of ~/.aws (an older SDK)', () => {
  it('says what is known, and the fixes', () => {
    const p = credentialsProblem('CredentialsProviderError', 'Could not load credentials from any providers', { env: { AWS_PROFILE: 'dev' }, profiles: undefined });
    expect(p).toEqual({
      code: 'NoCredentials',
      message: 'no AWS credentials for profile dev (in the environment or ~/.aws/config or ~/.aws/credentials): run `aws configure sso --profile dev` (or `aws configure --profile dev`), or set AWS_PROFILE',
    });
  });

  it("any other provider failure: the SDK's words, one line", () => {
    const p = credentialsProblem('CredentialsProviderError', 'SSO returns an invalid temporary credential.\nmore', { env: {}, profiles: {} });
    expect(p).toEqual({ code: 'CredentialsError', message: 'could not get AWS credentials for the default profile: SSO returns an invalid temporary credential.' });
  });
});
