/**
 * The Yeoman generator: `initializing` takes the CLI's answers,
 * `prompting` asks only what is still open (offering only what the matrix
 * allows), `writing` renders the repo through projen, `install` runs npm,
 * `end` prints the next steps.
 */
import { resolve } from 'node:path';
import pc from 'picocolors';
import Generator from 'yeoman-generator';
import errors from '../../src/cli/errors.js';
import finish from '../../src/cli/finish.js';
import generate from '../../src/cli/generate.js';
import type { PipelineConfig } from '../../src/model/config.js';
import model from '../../src/model/index.js';
import type { OptionSpec } from '../../src/model/options.js';
import type { PipelinePreset } from '../../src/model/preset.js';
import scaffolding from '../../src/scaffold.js';

type Answers = Record<string, unknown>;

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
  /** Filled by the generator: the error that stopped it. Yeoman would log a stopped task
   *  with its own banner; the CLI prints one line instead. */
  readonly outcome?: { error?: unknown };
}

export default class AppGenerator extends Generator {
  private answers: Answers = {};
  private config_?: PipelineConfig;
  private targetDir = '';
  private placed = { fresh: false };

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options as never);
    this.option('skip-install', { type: Boolean, description: 'Write the repo without running npm install', default: false });
  }

  initializing(): void {
    this.answers = { ...(this._run().answers ?? {}) };
    this.targetDir = this._run().targetDir ?? '';
  }

  async prompting(): Promise<void> {
    if (!this._run().interactive) return;
    await this._guard(async () => {
      for (const spec of model.PROMPTED_OPTIONS) {
        if (this.answers[spec.key] !== undefined || !model.isAsked(spec, this.answers)) continue;
        const answer = await this.prompt([this._question(spec) as never]);
        this.answers[spec.key] = answer[spec.key];
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

  /** One question; choices the matrix refuses are shown disabled, with the reason. */
  _question(spec: OptionSpec): Record<string, unknown> {
    if (!spec.choices) {
      return {
        type: 'input',
        name: spec.key,
        message: spec.question,
        default: 'my-service',
        validate: (v: string) => model.serviceNameProblem(v) ?? true,
      };
    }
    const a = this.answers as { runtime: never; target: never; source: never };
    const why = (value: string): string | undefined => {
      if (spec.key === 'strategy') return model.refusal({ runtime: a.runtime, target: a.target, strategy: value as never });
      if (spec.key === 'target') {
        const reasons = model.STRATEGIES.map((s) => model.refusal({ runtime: a.runtime, target: value as never, strategy: s }));
        return reasons.every(Boolean) ? reasons[0] : undefined;
      }
      if (spec.key === 'ci') return model.ciRefusal(value as never, a.source);
      if (spec.key === 'ecsEngine') return model.engineRefusal({ ...this.answers, engine: value } as never);
      return undefined;
    };
    const preset = this._run().preset;
    const allowed = model.allowedChoices(preset, spec.key as never);
    const given = preset ? (model.applyPreset(this.answers, preset) as Record<string, unknown>)[spec.key] : undefined;
    const fallback = given ?? (spec.key === 'strategy' ? model.DEFAULT_STRATEGY[a.target as 'ecs'] : (model.DEFAULTS as Record<string, unknown>)[spec.key]);
    return {
      type: 'list',
      name: spec.key,
      message: spec.question,
      default: fallback,
      choices: spec.choices.filter((c) => allowed.includes(c.value)).map((c) => {
        const reason = why(c.value);
        return { name: `${c.label} ${pc.dim(`- ${c.description}`)}`, value: c.value, short: c.label, ...(reason ? { disabled: reason.split(':')[0] } : {}) };
      }),
    };
  }

  async writing(): Promise<void> {
    await this._guard(() => this._write());
  }

  async _write(): Promise<void> {
    const target = this.targetDir || String(this.answers.name);
    this.config_ = generate.resolveForTarget(this.answers, target);
    if (!this.targetDir && scaffolding.isNonEmptyDir(resolve(target)) && !this._run().force) {
      throw new errors.UsageError(`${target} is not empty: choose a new directory, or pass --force to write into it`);
    }
    this.targetDir = target;
    this.placed = await scaffolding.scaffold(this.config_, target);
  }

  async install(): Promise<void> {
    await this._guard(() => this._install());
  }

  async _install(): Promise<void> {
    if (this._run().skipInstall) return;
    await finish.installDependencies(this.targetDir);
  }

  async end(): Promise<void> {
    await this._guard(() => this._end());
  }

  _end(): void {
    const gitNote = this._run().git === false ? undefined : scaffolding.firstCommit(this.targetDir, this.config_!.branch, this.placed);
    if (gitNote) this.log(gitNote);
    this.log(finish.nextSteps(this.config_!, this.targetDir, this._run().skipInstall === true));
  }

}
