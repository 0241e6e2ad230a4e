/** The help text: every flag and every choice, from the model. */
import { CI_CHOICES, ECS_ENGINE_CHOICES, RUNTIME_CHOICES, SOURCE_CHOICES, STRATEGY_CHOICES, TARGET_CHOICES } from '../model/catalog';
import type { Choice } from '../model/catalog';
import { DEFAULT_STRATEGY, DEFAULTS, NEW_REPO_ECS_ENGINE } from '../model/config';
import { OPTION_SPECS } from '../model/options';

function choices(list: readonly Choice<string>[]): string {
  return list.map((c) => `      ${c.value.padEnd(16)}${c.description}`).join('\n');
}

export function helpText(): string {
  const flags = OPTION_SPECS.filter((s) => !s.choices).map((s) => {
    const left = s.type === 'boolean' ? `--${s.flag}` : `--${s.flag} ${s.placeholder ?? '<value>'}`;
    return `  ${left.padEnd(32)}${s.description}`;
  });
  return `Usage: create-aws-pipeline [dir] [options]
       npm create aws-pipeline [dir] -- [options]

Scaffold a repo with an AWS delivery pipeline, managed by projen.
Asks for what the flags leave open (only with a terminal); --yes takes the defaults.

Choices:
  --runtime <runtime>             (default: ${DEFAULTS.runtime})
${choices(RUNTIME_CHOICES)}
  --source <source>               (default: ${DEFAULTS.source})
${choices(SOURCE_CHOICES)}
  --target <target>               (default: ${DEFAULTS.target})
${choices(TARGET_CHOICES)}
  --strategy <strategy>           (default per target: ${Object.entries(DEFAULT_STRATEGY).map(([t, s]) => `${t} ${s}`).join(', ')})
${choices(STRATEGY_CHOICES)}
  --ecs-engine <engine>           (ecs blue-green, canary, linear; new repos: ${NEW_REPO_ECS_ENGINE})
${choices(ECS_ENGINE_CHOICES)}
  --ci <ci>                       (default: ${DEFAULTS.ci})
${choices(CI_CHOICES)}

Pipeline options:
${flags.join('\n')}

Run options:
  -y, --yes                       take the default for every answer not given
  -f, --force                     write into a non-empty directory, replacing files of the same name
  --skip-install                  write the repo without running npm install
  --no-git                        no git init and first commit (skipped anyway inside a git work tree)
  --list-combinations             list which runtime/target/strategy combinations are valid, and why others are not
                                  (with --preset: as the preset narrows them)
  --json                          with --list-combinations: print JSON
  -v, --version                   print the version
  -h, --help                      print this help

Day-2 commands (in a generated repo; pipeline and region from aws-pipeline.json):
  create-aws-pipeline status [--json]      stages, actions and the latest executions
                                           (a GitHub Actions repo: where to see its runs)
  create-aws-pipeline release [--json]     start an execution
  create-aws-pipeline approve [--summary <text>] [--stage <name>]
  create-aws-pipeline reject [--summary <text>] [--stage <name>]
  create-aws-pipeline retry [--stage <name>]   retry the failed actions of a failed stage
  (each takes --dir <repo>, --pipeline <name>, --region <region>; with --json, errors are JSON on stdout)
  create-aws-pipeline drift [--json] [--dir <repo>]   which managed files differ from the templates (exit 1 if any)
  create-aws-pipeline reset <file>... [--dir <repo>]  return managed files to the template, dropping your edits
                                                      (also --reset <file>; npx projen keeps and merges edits)
  create-aws-pipeline <command> --help                each command's own usage, flags and an example

Examples:
  npx create-aws-pipeline my-service --yes
  npx create-aws-pipeline my-api --runtime python --target lambda --strategy linear --interval 10
  npx create-aws-pipeline --list-combinations --json
  npm create aws-pipeline my-api -- --path services/api --yes   (at a repo's root: the service in services/api,
                                                                  its workflow at the root; see docs/monorepo.md)
`;
}
