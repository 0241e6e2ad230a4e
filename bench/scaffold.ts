/**
 * Scaffolding without install, against create-vite scaffolding a template,
 * interleaved in the same run:
 * - warm: the installed bin (`create-aws-pipeline --yes`, the bundle in
 *   dist/) against create-vite's; goals <= 1.5x create-vite, <= 500 ms.
 *   Twice: as create-vite works (`--no-git`: the files written, no git), and
 *   as shipped (with `git init`, `git add`, `git commit`: three git processes
 *   create-vite does not run; init while the repo renders, add and commit while
 *   its files are synced);
 * - cold: `npm exec` of each package's tarball, empty npm cache, no compile cache (the
 *   first `npm create` on a machine, without the download: both offline,
 *   from local tarballs, so the network is not measured); goal <= 3x;
 * and `npx projen` re-synth in a generated repo; goal <= 2 s median.
 * Timings are printed and written to bench/RESULTS.md, never asserted.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { median, npmEnv, npmPack, report, ROOT, temp, timeCommand } from './util';

const runs = Number(process.argv[2] ?? 7);
const BIN = join(ROOT, 'bin', 'create-aws-pipeline.js');
const VITE = join(ROOT, 'node_modules', 'create-vite', 'index.js');

const ours: number[] = [];
const oursGit: number[] = [];
const vite: number[] = [];
// Node's own start (`node -e 0`): what neither tool can go below; the rest is each one's work.
const bare: number[] = [];
// Warm means warm: one run of each first, not counted (a bundle built just now has no compile cache yet, and the
// file system caches neither tool's files). Then three times the runs of the other rows: the differences are a few ms.
const warmRuns = runs * 3;
for (let i = -1; i < warmRuns; i++) {
  const times = [
    timeCommand(process.execPath, [BIN, 'svc', '--yes', '--skip-install', '--no-git'], temp('bench-ours-')),
    timeCommand(process.execPath, [BIN, 'svc', '--yes', '--skip-install'], temp('bench-ours-git-')),
    timeCommand(process.execPath, [VITE, 'app', '--template', 'vanilla-ts'], temp('bench-vite-')),
    timeCommand(process.execPath, ['-e', '0'], temp('bench-node-')),
  ];
  if (i < 0) continue;
  [ours, oursGit, vite, bare].forEach((list, k) => list.push(times[k]));
}
const [o, og, v, b] = [median(ours), median(oursGit), median(vite), median(bare)];
const goals = (ms: number) => `${(ms / v).toFixed(2)}x (goal <= 1.5x: ${ms / v <= 1.5 ? 'met' : 'not met'}; goal <= 500 ms: ${ms <= 500 ? 'met' : 'not met'})`;
report('Scaffold without install (warm: the installed bin)', [
  `median of ${warmRuns}, interleaved, after one run of each not counted; stdout and stderr are pipes; Node.js ${process.version}`,
  '',
  '| | median (ms) | beyond Node.js\'s start (ms) |',
  '| --- | --- | --- |',
  `| create-aws-pipeline --yes --skip-install --no-git (the files, as create-vite writes its own) | ${o.toFixed(0)} | ${(o - b).toFixed(0)} |`,
  `| create-aws-pipeline --yes --skip-install (and git init, add, commit: the first commit) | ${og.toFixed(0)} | ${(og - b).toFixed(0)} |`,
  `| create-vite --template vanilla-ts | ${v.toFixed(0)} | ${(v - b).toFixed(0)} |`,
  `| node -e 0 | ${b.toFixed(0)} | |`,
  `| ratio, the files (--no-git) | ${goals(o)} | |`,
  `| ratio, with git (${(og - o).toFixed(0)} ms more than the files alone: git's three processes, which create-vite does not run) | ${goals(og)} | |`,
]);

// Cold: npm exec of a tarball into an empty cache, offline (neither package has a dependency to fetch).
const tarballs = temp('bench-tarballs-');
const ourTarball = npmPack(ROOT, tarballs);
const viteTarball = npmPack(join(ROOT, 'node_modules', 'create-vite'), tarballs);
const coldOurs: number[] = [];
const coldVite: number[] = [];
const npmExec = (tarball: string, args: string[]) => ['exec', '--yes', '--offline', '--cache', join(temp('bench-cache-'), 'npm'), '--package', tarball, '--', ...args];
// No Node compile cache either (the bin turns it on; a first run on a machine has none to read).
const coldEnv = () => ({ ...npmEnv(), NODE_DISABLE_COMPILE_CACHE: '1' });
for (let i = 0; i < runs; i++) {
  coldOurs.push(timeCommand('npm', npmExec(ourTarball, ['create-aws-pipeline', 'svc', '--yes', '--skip-install']), temp('bench-cold-ours-'), coldEnv()));
  coldVite.push(timeCommand('npm', npmExec(viteTarball, ['create-vite', 'app', '--template', 'vanilla-ts']), temp('bench-cold-vite-'), coldEnv()));
}
const [co, cv] = [median(coldOurs), median(coldVite)];
report('Scaffold without install (cold: npm exec of the tarball, empty npm cache, no compile cache)', [
  `median of ${runs}, interleaved; offline, from local tarballs (the download is not measured)`,
  '',
  '| | median (ms) |',
  '| --- | --- |',
  `| npm exec create-aws-pipeline svc --yes --skip-install | ${co.toFixed(0)} |`,
  `| npm exec create-vite app --template vanilla-ts | ${cv.toFixed(0)} |`,
  `| ratio | ${(co / cv).toFixed(2)}x (goal <= 3x: ${co / cv <= 3 ? 'met' : 'not met'}) |`,
]);

// Re-synth: a generated repo whose node_modules link to this checkout's (our package built, projen, tsx).
const parent = temp('bench-resynth-');
timeCommand(process.execPath, [BIN, 'svc', '--yes', '--skip-install'], parent);
const repo = join(parent, 'svc');
mkdirSync(join(repo, 'node_modules'));
for (const entry of readdirSync(join(ROOT, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules', entry), join(repo, 'node_modules', entry));
symlinkSync(ROOT, join(repo, 'node_modules', 'create-aws-pipeline'));
const resynth: number[] = [];
// --no-post: the repo's node_modules link to this checkout's, and projen's install after a synth would go through the links.
for (let i = 0; i < runs; i++) resynth.push(timeCommand(join(repo, 'node_modules', '.bin', 'projen'), ['--no-post'], repo, { ...process.env, CI: 'true' }));
const r = median(resynth);
report('npx projen re-synth in a generated repo', [
  `median of ${runs}: ${r.toFixed(0)} ms (tsx runs .projenrc.ts; goal <= 2000 ms: ${r <= 2000 ? 'met' : 'not met'})`,
]);
