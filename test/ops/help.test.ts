/**
 * Every day-2 command answers --help (and -h) with its own usage, and a flag
 * it does not take gives one line naming the flag and --help.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsRepo, runInProcess, startFakeCodePipeline } from './fake-codepipeline';
import type { FakeCodePipeline } from './fake-codepipeline';
import { helpText } from '../../src/cli/help';

let fake: FakeCodePipeline;
beforeAll(async () => {
  fake = await startFakeCodePipeline(() => ({ status: 500, body: {} }));
});
afterAll(() => fake.close());

/** The flags each command's usage names, and no others. */
const FLAGS: Record<string, string[]> = {
  status: ['--json', '--dir', '--pipeline', '--region'],
  release: ['--json', '--dir', '--pipeline', '--region'],
  approve: ['--summary', '--stage', '--dir', '--pipeline', '--region'],
  reject: ['--summary', '--stage', '--dir', '--pipeline', '--region'],
  retry: ['--stage', '--dir', '--pipeline', '--region'],
  drift: ['--json', '--dir'],
  reset: ['--dir'],
};
const ALL = ['--json', '--dir', '--pipeline', '--region', '--summary', '--stage'];

function expectUsage(command: string, r: { code: number | null; stdout: string; stderr: string }) {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^Usage: create-aws-pipeline ${command}\\b`));
  for (const flag of FLAGS[command]) expect(r.stdout).toContain(flag);
  for (const flag of ALL.filter((f) => !FLAGS[command].includes(f))) expect(r.stdout).not.toContain(flag);
  expect(r.stdout).toContain('-h, --help');
  expect(r.stdout).toMatch(new RegExp(`\\nExamples?:\\n  npx create-aws-pipeline ${command}`));
}

describe('<command> --help', () => {
  for (const command of ['status', 'release', 'approve', 'reject', 'retry']) {
    it.each([['--help'], ['-h']])(`${command} %s prints its usage, calls nothing, exit 0`, async (flag) => {
      fake.calls = [];
      // Anywhere on the line, with other flags, inside a repo or not.
      expectUsage(command, await runInProcess([command, flag], fake.endpoint));
      expectUsage(command, await runInProcess([command, '--dir', opsRepo(), flag], fake.endpoint));
      expectUsage(command, await runInProcess([command, '--bogus', flag], fake.endpoint));
      expect(fake.calls).toEqual([]);
    });
  }

  it.each([['drift'], ['reset']])('%s --help prints its usage', async (command) => {
    for (const flag of ['--help', '-h']) expectUsage(command, await runInProcess([command, flag], fake.endpoint));
  });

  it('the main help says each day-2 command has its own', () => {
    expect(helpText()).toContain('create-aws-pipeline <command> --help');
  });
});

describe('flags a command does not take', () => {
  it.each([
    [['status', '--bogus'], 'unknown flag --bogus for status: see create-aws-pipeline status --help'],
    [['approve', '--stag', 'Production'], 'unknown flag --stag for approve (did you mean --stage?): see create-aws-pipeline approve --help'],
    [['status', '--regoin', 'eu-west-1'], 'unknown flag --regoin for status (did you mean --region?): see create-aws-pipeline status --help'],
    [['status', '--summary', 'x'], 'unknown flag --summary for status: see create-aws-pipeline status --help'],
    [['release', '--stage', 'Build'], 'unknown flag --stage for release: see create-aws-pipeline release --help'],
    [['approve', '--json'], 'unknown flag --json for approve: see create-aws-pipeline approve --help'],
    [['retry', '-x'], 'unknown flag -x for retry: see create-aws-pipeline retry --help'],
    [['approve', '--stage'], '--stage needs a value: see create-aws-pipeline approve --help'],
    [['reject', '--summary', '--stage', 'B'], '--summary needs a value: see create-aws-pipeline reject --help'],
    [['status', '--json=yes'], '--json takes no value: see create-aws-pipeline status --help'],
    [['status', 'extra'], 'status takes no arguments (got extra): see create-aws-pipeline status --help'],
  ])('%j: one line', async (argv, line) => {
    fake.calls = [];
    const r = await runInProcess([...argv, '--dir', opsRepo()], fake.endpoint);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error ${line}\n`);
    expect(fake.calls).toEqual([]);
  });
});
