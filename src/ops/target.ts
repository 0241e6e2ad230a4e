/** Which pipeline the day-2 commands act on: from the generated repo's aws-pipeline.json, or flags. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../cli/errors';

export const OPS_FILE = 'aws-pipeline.json';

export interface PipelineRef {
  readonly pipeline: string;
  readonly region: string;
}

export function pipelineRef(dir: string, flags: { pipeline?: string; region?: string }): PipelineRef {
  const file = join(resolve(dir), OPS_FILE);
  const fromFile: Partial<PipelineRef> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const pipeline = flags.pipeline ?? fromFile.pipeline;
  const region = flags.region ?? fromFile.region;
  if (!pipeline || !region) {
    throw new UsageError(`no ${OPS_FILE} in ${resolve(dir)}: run this in a generated repo, or pass --pipeline <name> --region <region>`);
  }
  return { pipeline, region };
}
