/**
 * A repo generated with `--ci github-actions` has no aws-pipeline.json: its
 * pipeline is the GitHub workflow, and CodePipeline has nothing to show.
 * Told by the workflow file and the answers rendered into infra/main.ts (or
 * written in .projenrc.ts); the GitHub repository comes from the same place.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OpsError } from './errors';
import { clean, safeJson } from './text';

/** src/render/workflow.ts WORKFLOW_PATH (kept apart: the day-2 commands load no renderer). */
export const ACTIONS_WORKFLOW = '.github/workflows/pipeline.yml';

/** A GitHub `owner/repo`: nothing else goes into the link. */
const GITHUB_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export interface ActionsRepo {
  readonly name?: string;
  readonly repository?: string;
  readonly workflow: string;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `key: "value",` as the renderers write an answer (a JSON string literal on its own line). */
function answer(text: string, key: string): string | undefined {
  const m = new RegExp(`^\\s*${key}:\\s*("(?:[^"\\\\\\n]|\\\\.)*"),?\\s*$`, 'm').exec(text);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]) as string;
  } catch {
    return undefined;
  }
}

/** A service name as the model takes it: what may name a workflow file. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The repo at `dir` when its pipeline runs on GitHub Actions; undefined otherwise. Call it when aws-pipeline.json is
 * missing. A service in a folder of a bigger repository (`path` in its answers) has its workflow at the repository's
 * root, `.github/workflows/<name>.yml`, named from there.
 */
export function actionsRepo(dir: string): ActionsRepo | undefined {
  const hasWorkflow = readText(join(dir, ACTIONS_WORKFLOW)) !== undefined;
  for (const file of ['infra/main.ts', '.projenrc.ts']) {
    const text = readText(join(dir, file));
    const ci = text === undefined ? undefined : answer(text, 'ci');
    if (text === undefined || ci === undefined) continue;
    // CodePipeline too: aws-pipeline.json should be there (npx projen writes it).
    if (ci !== 'github-actions') return undefined;
    const name = answer(text, 'name');
    const path = answer(text, 'path');
    const inFolder = path !== undefined && path !== '.' && name !== undefined && SERVICE_NAME.test(name);
    if (!inFolder && !hasWorkflow) return undefined;
    const repository = answer(text, 'repository');
    return { name, repository: repository && GITHUB_REPO.test(repository) ? repository : undefined, workflow: inFolder ? `.github/workflows/${name}.yml` : ACTIONS_WORKFLOW };
  }
  // The workflow, and no answers to read: it is the pipeline.
  return hasWorkflow ? { workflow: ACTIONS_WORKFLOW } : undefined;
}

const who = (r: ActionsRepo) => (r.name ? clean(r.name) : 'this repo');
const runsUrl = (r: ActionsRepo) => (r.repository ? `https://github.com/${r.repository}/actions/workflows/${basename(r.workflow)}` : undefined);
const listRuns = (r: ActionsRepo) => `gh run list --workflow ${basename(r.workflow)}`;

/** status: what runs the pipeline and where to see it, as text or JSON. */
export function actionsStatus(r: ActionsRepo, json: boolean): string {
  const url = runsUrl(r);
  if (json) return `${safeJson({ name: r.name, ci: 'github-actions', workflow: r.workflow, repository: r.repository, runs: url, command: listRuns(r) }, 2)}\n`;
  return `${who(r)} runs its pipeline on GitHub Actions (${r.workflow}), not CodePipeline: see its runs with \`${listRuns(r)}\` or ${url ? `at ${url}` : "in the repository's Actions tab"}\n`;
}

/** release, approve, reject, retry: what to run on GitHub instead. */
export function actionsRefusal(r: ActionsRepo, command: 'release' | 'approve' | 'reject' | 'retry'): OpsError {
  const where = runsUrl(r) ?? "the repository's Actions tab";
  const what = {
    release: `start a run with \`gh workflow run ${basename(r.workflow)}\` (deploys run from the release branch only)`,
    approve: `approvals are GitHub environment reviews: open the waiting run (\`${listRuns(r)}\`, or ${where}) and choose Review deployments`,
    reject: `approvals are GitHub environment reviews: open the waiting run (\`${listRuns(r)}\`, or ${where}) and choose Review deployments`,
    retry: `re-run the failed jobs with \`gh run rerun <run-id> --failed\` (\`${listRuns(r)}\` lists the runs)`,
  }[command];
  return new OpsError('GitHubActions', `${who(r)} runs its pipeline on GitHub Actions, not CodePipeline: ${what}`);
}
