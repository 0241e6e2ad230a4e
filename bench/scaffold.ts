/**
 * Scaffolding without install: `create-aws-pipeline --yes` against
 * create-vite scaffolding a template, interleaved in the same run; and
 * `npx projen` re-synth in a generated repo. Goals: scaffold <= 1.5x
 * create-vite and <= 500 ms median; re-synth <= 3 s median.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { median, report, ROOT, temp, timeCommand } from './util';

const runs = Number(process.argv[2] ?? 7);
const BIN = join(ROOT, 'bin', 'create-aws-pipeline.js');
const VITE = join(ROOT, 'node_modules', 'create-vite', 'index.js');

const ours: number[] = [];
const vite: number[] = [];
for (let i = 0; i < runs; i++) {
  ours.push(timeCommand(process.execPath, [BIN, 'svc', '--yes', '--skip-install'], temp('bench-ours-')));
  vite.push(timeCommand(process.execPath, [VITE, 'app', '--template', 'vanilla-ts'], temp('bench-vite-')));
}
const [o, v] = [median(ours), median(vite)];
report('Scaffold without install', [
  `median of ${runs}, interleaved`,
  '',
  '| | median (ms) |',
  '| --- | --- |',
  `| create-aws-pipeline --yes --skip-install | ${o.toFixed(0)} |`,
  `| create-vite --template vanilla-ts | ${v.toFixed(0)} |`,
  `| ratio | ${(o / v).toFixed(2)}x (goal <= 1.5x: ${o / v <= 1.5 ? 'met' : 'not met'}; goal <= 500 ms: ${o <= 500 ? 'met' : 'not met'}) |`,
]);

// Re-synth: a generated repo whose node_modules link to this checkout's (our package built, projen, tsx).
const parent = temp('bench-resynth-');
timeCommand(process.execPath, [BIN, 'svc', '--yes', '--skip-install'], parent);
const repo = join(parent, 'svc');
mkdirSync(join(repo, 'node_modules'));
for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(repo, 'node_modules', entry));
symlinkSync(ROOT, join(repo, 'node_modules', 'create-aws-pipeline'));
const resynth: number[] = [];
for (let i = 0; i < runs; i++) resynth.push(timeCommand(join(repo, 'node_modules', '.bin', 'projen'), [], repo, { ...process.env, CI: 'true' }));
const r = median(resynth);
report('npx projen re-synth in a generated repo', [
  `median of ${runs}: ${r.toFixed(0)} ms (tsx runs .projenrc.ts; goal <= 3000 ms: ${r <= 3000 ? 'met' : 'not met'})`,
]);
