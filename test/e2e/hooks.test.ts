/**
 * The EC2 hook scripts, run in appspec.yml's order against the generated
 * sample app on localhost, as CodeDeploy runs them: from the revision, as
 * root where we are root, with the variables CodeDeploy sets. The Install
 * step (CodeDeploy copying the files section) is a copy into a temp folder.
 * systemd is not the init system here, so the scripts' PID-file path runs
 * (USE_SYSTEMD=no makes that explicit). The hooks get the agent's system
 * PATH, so they use the system's node and python, as on an instance; where
 * the system has no python3.12 (the package the BeforeInstall hook installs
 * on Amazon Linux 2023), a `python3.12` on that PATH runs the system python3.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { freePort, generate, readYaml } from '../support/generated';

interface Deployment {
  revision: string;
  env: Record<string, string>;
  appRoot: string;
  run(event: string): { status: number | null; output: string };
}

function deployment(repo: string, port: number): Deployment {
  const base = tempDir('cap-host-');
  chmodSync(base, 0o755);
  const revision = join(base, 'revision');
  for (const entry of ['appspec.yml', 'scripts', 'app']) cpSync(join(repo, entry), join(revision, entry), { recursive: true });
  const appRoot = join(base, 'opt');
  const systemPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  const host = join(base, 'host-bin');
  if (spawnSync('python3.12', ['--version'], { env: { PATH: systemPath } }).status !== 0) {
    mkdirSync(host);
    writeFileSync(join(host, 'python3.12'), '#!/bin/sh\nexec python3 "$@"\n', { mode: 0o755 });
  }
  const env = {
    ...process.env,
    // The CodeDeploy agent's PATH: the system's runtimes, as on an instance.
    PATH: `${systemPath}:${host}`,
    APP_ROOT: appRoot,
    RUN_DIR: join(base, 'run'),
    LOG_FILE: join(base, 'app.log'),
    APP_USER: userInfo().uid === 0 ? 'nobody' : userInfo().username,
    USE_SYSTEMD: 'no',
    VALIDATE_TIMEOUT: '6',
    PORT: String(port),
    DEPLOYMENT_ID: 'd-EXAMPLE111',
    APPLICATION_NAME: 'svc',
    DEPLOYMENT_GROUP_NAME: 'svc-staging',
    DEPLOYMENT_GROUP_ID: '00000000-0000-0000-0000-000000000000',
  } as Record<string, string>;
  const hooks = readYaml(join(revision, 'appspec.yml')).hooks as Record<string, Array<{ location: string }>>;
  return {
    revision,
    env,
    appRoot,
    run(event) {
      if (event === 'Install') {
        cpSync(revision, appRoot, { recursive: true });
        spawnSync('chmod', ['-R', 'a+rX', base]);
        return { status: 0, output: '' };
      }
      const [hook] = hooks[event];
      const r = spawnSync(join(revision, hook.location), [], { env: { ...env, LIFECYCLE_EVENT: event }, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, output: r.stdout + r.stderr };
    },
  };
}

/** CodeDeploy's order: the appspec's hooks, with Install between BeforeInstall and AfterInstall. */
function lifecycle(repo: string): string[] {
  const events = Object.keys(readYaml(join(repo, 'appspec.yml')).hooks);
  events.splice(events.indexOf('AfterInstall'), 0, 'Install');
  return events;
}

function portAnswers(port: number, path: string): boolean {
  return spawnSync('curl', ['--silent', '--fail', '--max-time', '2', `http://127.0.0.1:${port}${path}`]).status === 0;
}

describe.each(['node', 'python'])('the %s app on EC2: CodeDeploy hooks on localhost', (runtime) => {
  it('stops (nothing runs yet), installs, starts under a non-root user, and passes ValidateService', async () => {
    const port = await freePort();
    const repo = generate(['--runtime', runtime, '--target', 'ec2', '--port', String(port), '--health-check-path', '/healthz']);
    expect(lifecycle(repo)).toEqual(['ApplicationStop', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService']);
    const d = deployment(repo, port);
    try {
      for (const event of lifecycle(repo)) {
        const r = d.run(event);
        expect(r.status, `${event}: ${r.output}`).toBe(0);
        if (event === 'ApplicationStop') expect(r.output).toContain('not running');
        if (event === 'ValidateService') expect(r.output).toContain(`healthy: http://127.0.0.1:${port}/healthz`);
      }
      const pid = readFileSync(join(d.env.RUN_DIR, 'app.pid'), 'utf8').trim();
      const owner = spawnSync('ps', ['-o', 'user=', '--ppid', pid], { encoding: 'utf8' }).stdout.trim() || spawnSync('ps', ['-o', 'user=', '-p', pid], { encoding: 'utf8' }).stdout.trim();
      if (userInfo().uid === 0) expect(owner).not.toBe('root');
      expect(portAnswers(port, '/healthz')).toBe(true);

      // The next deployment's ApplicationStop stops it.
      const stop = d.run('ApplicationStop');
      expect(stop.status, stop.output).toBe(0);
      expect(stop.output).toMatch(/stopped \d+/);
      expect(portAnswers(port, '/healthz')).toBe(false);
    } finally {
      d.run('ApplicationStop');
    }
  });

  it('fails ValidateService with a clear message when the app listens on the wrong port, and cleans up', async () => {
    const port = await freePort();
    const wrongPort = await freePort();
    const repo = generate(['--runtime', runtime, '--target', 'ec2', '--port', String(port)]);
    const d = deployment(repo, port);
    try {
      for (const event of ['ApplicationStop', 'BeforeInstall', 'Install', 'AfterInstall']) expect(d.run(event).status).toBe(0);
      // A broken release: the app's settings point it at another port.
      writeFileSync(join(d.appRoot, 'app.env'), `PORT=${wrongPort}\n`);
      expect(d.run('ApplicationStart').status).toBe(0);
      const validate = d.run('ValidateService');
      expect(validate.status).toBe(1);
      expect(validate.output).toContain(`unhealthy: http://127.0.0.1:${port}/health did not answer 200 within 6s`);
      expect(portAnswers(wrongPort, '/health')).toBe(true);
    } finally {
      expect(d.run('ApplicationStop').status).toBe(0);
    }
    expect(portAnswers(wrongPort, '/health')).toBe(false);
    expect(existsSync(join(d.env.RUN_DIR, 'app.pid'))).toBe(false);
  });
});
