/**
 * The Yeoman generator: `initializing` takes the CLI's answers,
 * `prompting` asks only what is still open (offering only what the matrix
 * allows), `writing` writes the repo (scaffold.ts), `install` runs npm and
 * makes the first commit, `end` prints the next steps.
 */
import { resolve } from 'node:path';
import pc from 'picocolors';
import Generator from 'yeoman-generator';
import errors from '../../src/cli/errors.js';
import finish from '../../src/cli/finish.js';
import generate from '../../src/cli/generate.js';
import gitRemote from '../../src/cli/git-remote.js';
import questions from '../../src/cli/questions.js';
import type { QuestionKey } from '../../src/cli/questions.js';
import type { Origin } from '../../src/cli/summary.js';
import type { PipelineConfig } from '../../src/model/config.js';
import model from '../../src/model/index.js';
import type { PipelinePreset } from '../../src/model/preset.js';
import scaffolding from '../../src/scaffold.js';

type Answers = Record<string, unknown>;

const UNAVAILABLE_HELP = '↑↓ navigate • ⏎ select • reasons: create-aws-pipeline --list-combinations';

/** What the CLI passes (see src/cli/generate.ts). */
interface RunOptions {
  readonly answers?: Answers;
  readonly targetDir?: string;
  readonly interactive?: boolean;
  readonly skipInstall?: boolean;
  readonly force?: boolean;
  /** git init and a first commit (see src/first-commit.ts). @default true */
  readonly git?: boolean;
  /** A preset: its allowed choices are offered, its values are the defaults, locked answers are given. */
  readonly preset?: PipelinePreset;
  /** Where the answers given came from (flags, preset, folder name), for the summary. */
  readonly origins?: Record<string, Origin>;
  /** Filled by the generator: the error that stopped it. Yeoman would log a stopped task
   *  with its own banner; the CLI prints one line instead. */
  readonly outcome?: { error?: unknown };
}

export default class AppGenerator extends Generator {
  private answers: Answers = {};
  private config_?: PipelineConfig;
  private targetDir = '';
  private placed: { fresh: boolean; files: readonly string[]; outside?: readonly string[] } = { fresh: false, files: [] };
  /** Where each answer came from, for the summary: typed, or taken as the only choice (the CLI's for the rest). */
  private origins: Record<string, Origin> = {};
  /** The git remote's repository: null until looked up. */
  private remote_: { source: string; repository: string } | undefined | null = null;

  constructor(args: string[], options: Record<string, unknown>) {
    // customInstallTask: the install is ours (finish.installDependencies); Yeoman's own package-manager task,
    // which says on every run that package.json did not change, is off.
    super(args, options as never, { customInstallTask: true });
    this.option('skip-install', { type: Boolean, description: 'Write the repo without running npm install', default: false });
  }

  initializing(): void {
    this.answers = { ...(this._run().answers ?? {}) };
    this.targetDir = this._run().targetDir ?? '';
  }

  async prompting(): Promise<void> {
    if (!this._run().interactive) return;
    await this._guard(async () => {
      for (const key of questions.QUESTION_ORDER) {
        if (this.answers[key] !== undefined) continue;
        const question = this._question(key);
        if (question === undefined) continue;
        const answer = (await this.prompt([question as never]))[key];
        // An empty repository answer keeps the placeholder (the summary and a warning say so).
        if (key !== 'repository' || answer !== '') this.answers[key] = answer;
        this.origins[key] = 'given';
      }
    });
  }

  /** Runs a phase unless an earlier one failed; a failure is kept for the CLI to report. */
  async _guard(phase: () => void | Promise<void>): Promise<void> {
    const outcome = this._run().outcome;
    if (!outcome) return phase();
    if (outcome.error !== undefined) return;
    try {
      await phase();
    } catch (err) {
      outcome.error = err;
    }
  }

  _run(): RunOptions {
    return this.options as unknown as RunOptions;
  }

  /** The values the preset gives (defaults and locked), beside the answers so far. */
  _presetValues(): Answers {
    const preset = this._run().preset;
    if (!preset) return {};
    const { preset: _ref, ...given } = this.answers;
    return model.applyPreset(given, preset) as Answers;
  }

  /**
   * The question for `key`, or undefined when there is nothing to ask: a question with one possible answer
   * takes it (marked in the summary as forced), the interval only follows canary and linear, the repository
   * only a source that has one.
   */
  _question(key: QuestionKey): Record<string, unknown> | undefined {
    const message = questions.QUESTION_TEXT[key];
    const fromPreset = this._presetValues();
    if (key === 'name') {
      return { type: 'input', name: key, message, default: 'my-service', validate: (v: string) => model.serviceNameProblem(v) ?? this._folderProblem(v) ?? true };
    }
    if (key === 'ecsEngine') {
      const engines = questions.engineChoices(this.answers, this._run().preset);
      if (engines === undefined) return undefined;
      const only = questions.onlyChoice(engines);
      if (only !== undefined) {
        this.answers[key] = only;
        this.origins[key] = 'only choice';
        return undefined;
      }
      return this._list(key, message, engines, questions.defaultEngine(engines, fromPreset.ecsEngine));
    }
    if (key === 'interval') {
      const range = questions.intervalRange(this.answers);
      if (range !== undefined) {
        const preferred = fromPreset.interval;
        return {
          type: 'number',
          name: key,
          message: `${message} (${range.min}-${range.max}: ECS shifts 10 percent, then waits this long)`,
          default: typeof preferred === 'number' ? preferred : range.fallback,
          validate: (v: number) => questions.intervalProblem(v, this.answers) ?? true,
        };
      }
      const intervals = questions.intervalChoices(this.answers);
      if (intervals === undefined) return undefined;
      const preferred = fromPreset.interval;
      return this._list(key, `${message} (10 percent of traffic each time)`, intervals.map((n) => ({ value: n, label: n === 1 ? '1 minute' : `${n} minutes`, description: '' })), intervals.includes(preferred as number) ? preferred : intervals[0]);
    }
    if (key === 'repository') {
      if (!questions.takesRepository(this.answers.source)) return undefined;
      return this._repositoryQuestion(fromPreset);
    }
    const choices = questions.choicesFor(key, this.answers, this._run().preset);
    const only = questions.onlyChoice(choices);
    if (only !== undefined) {
      this.answers[key] = only;
      this.origins[key] = 'only choice';
      return undefined;
    }
    const preferred = fromPreset[key] ?? (key === 'source' ? this._remote()?.source : undefined);
    return this._list(key, message, choices, questions.defaultChoice(key, choices, this.answers, preferred));
  }

  /** A list of every choice on one terminal line each, all shown at once; an unavailable one is set apart and says why, shortly. */
  _list(key: string, message: string, choices: ReadonlyArray<{ value: unknown; label: string; description: string; reason?: string }>, fallback: unknown): Record<string, unknown> {
    // The widest line the terminal shows without wrapping: the cursor or the disabled mark take two columns.
    const width = Math.max(40, (process.stdout.columns || 80) - 3);
    return {
      type: 'list',
      name: key,
      message,
      default: fallback,
      pageSize: choices.length,
      loop: false,
      // Below the list: the keys, and where the whole reason of an unavailable choice is.
      ...(choices.some((c) => c.reason !== undefined) ? { instructions: { navigation: UNAVAILABLE_HELP, pager: UNAVAILABLE_HELP } } : {}),
      choices: choices.map((c) => {
        const text = c.description ? `${c.label} - ${c.description}` : c.label;
        if (c.reason === undefined) {
          const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
          const cut = line.indexOf(' - ');
          return { name: cut < 0 ? line : `${line.slice(0, cut)}${pc.dim(line.slice(cut))}`, value: c.value, short: c.label };
        }
        // inquirer shows "<name> <disabled>": the label, then the reason, cut to the line (the whole one is in --list-combinations).
        const reason = ` - unavailable: ${c.reason.split(/[:;]/)[0]}`;
        const line = `${c.label}${reason}`;
        const shown = line.length > width ? `${line.slice(0, width - 1)}…` : line;
        return { name: shown.slice(0, c.label.length), value: c.value, short: c.label, disabled: shown.slice(c.label.length + 1) };
      }),
    };
  }

  /** The repository: the git remote's when it is on this source's host, else typed (empty keeps the placeholder). */
  _repositoryQuestion(fromPreset: Answers): Record<string, unknown> {
    const source = String(this.answers.source);
    const remote = this._remote();
    const owner = this.answers.repositoryOwner ?? fromPreset.repositoryOwner;
    const fallback = remote && remote.source === source ? remote.repository : source === 'codecommit' ? String(this.answers.name) : owner !== undefined ? `${owner}/${this.answers.name}` : undefined;
    if (remote && fallback === remote.repository) this.origins.repository = 'git remote';
    const form = source === 'codecommit' ? 'the CodeCommit repository name' : source === 'gitlab' ? 'group/project' : 'owner/repo';
    const empty = source === 'codecommit' || fallback !== undefined ? '' : ', empty for a placeholder to set later';
    return {
      type: 'input',
      name: 'repository',
      message: `${questions.QUESTION_TEXT.repository} (${form} on ${source}${empty})`,
      ...(fallback !== undefined ? { default: fallback } : {}),
      validate: (v: string) => questions.repositoryProblem(v.trim(), this.answers) ?? true,
      filter: (v: string) => v.trim(),
    };
  }

  /** The origin remote's repository of the clone the target folder is in, looked up once. */
  _remote(): { source: string; repository: string } | undefined {
    if (this.remote_ === null) this.remote_ = gitRemote.remoteRepository(this.targetDir || String(this.answers.name ?? '.'));
    return this.remote_;
  }

  /** A typed service name names the folder too: refused at once when that folder is not empty (unless --force). */
  _folderProblem(name: string): string | undefined {
    if (this.targetDir || this._run().force) return undefined;
    return scaffolding.isNonEmptyDir(resolve(name)) ? generate.notEmptyMessage(name) : undefined;
  }

  async writing(): Promise<void> {
    await this._guard(() => this._write());
  }

  async _write(): Promise<void> {
    const target = this.targetDir || String(this.answers.name);
    this.config_ = generate.resolveForTarget(this.answers, target);
    generate.checkRootFiles(this.config_, this._run().force === true);
    if (!this.targetDir && scaffolding.isNonEmptyDir(resolve(target)) && !this._run().force) {
      throw new errors.UsageError(generate.notEmptyMessage(target));
    }
    this.targetDir = target;
    generate.reportAnswers(this.config_, { ...this._run().origins, ...this.origins });
    this.placed = await scaffolding.scaffold(this.config_, target);
    this.log(finish.writtenFiles(target, this.placed.files, this.placed.outside));
  }

  async install(): Promise<void> {
    await this._guard(() => this._install());
  }

  /** The install and the first commit (finish.installAndCommit: committed even when npm fails). */
  async _install(): Promise<void> {
    const run = this._run();
    await finish.installAndCommit(this.targetDir, { skipInstall: run.skipInstall === true, git: run.git !== false, branch: this.config_!.branch, placed: this.placed }, (line) => this.log(line));
  }

  async end(): Promise<void> {
    await this._guard(() => this._end());
  }

  _end(): void {
    this.log(finish.nextSteps(this.config_!, this.targetDir, this._run().skipInstall === true));
  }

}
