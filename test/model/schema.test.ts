/** Options and presets are checked against their schema: types, choices and unknown keys, each named in one line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonSchema } from '@valibot/to-json-schema';
import { describe, expect, it } from 'vitest';
import { refusal } from './refusal';
import { resolveConfig } from '../../src/model/config';
import { checkPreset } from '../../src/model/preset';
import { presetSchema } from '../../src/model/schema';

describe('the options schema', () => {
  it.each([
    [{ environments: 'staging' }, 'environments', 'invalid --environments: environments must be an array of strings, not the string "staging"'],
    [{ region: ['us-east-1'] }, 'region', 'invalid --region: region must be a string, not an array'],
    [{ port: '8080' }, 'port', 'invalid --port: port must be a number, not the string "8080"'],
    [{ approval: 'no' }, 'approval', 'invalid --approval: approval must be true or false, not the string "no"'],
    [{ runtime: ['node'] }, 'runtime', 'invalid --runtime ["node"]: use one of node, python, java, go, container'],
    [{ colour: 'red' }, 'colour', 'unknown option "colour" (every option: docs/options.md)'],
    [{ ownr: 'team' }, 'ownr', 'unknown option "ownr": did you mean owner? (every option: docs/options.md)'],
    [{ existing: [] }, 'existing', 'invalid existing: existing must be an object, not an array'],
    [{ existing: { production: { bucket: 'b' } } }, 'existing', 'invalid existing: unknown key "bucket" in existing.production: use applicationName, deploymentGroupName, clusterName, serviceName, functionName, bucketName'],
    [{ tags: { CostCenter: 42 } }, 'tags', 'invalid tags: tags.CostCenter must be a string, not number 42'],
    [{ parameters: ['A=/a', 2] }, 'parameters', 'invalid --parameters: parameters.1 must be a string, not number 2'],
  ])('refuse %j, naming the option', (options, option, message) => {
    const err = refusal(() => resolveConfig({ name: 'svc', ...options } as never));
    expect(err.option).toBe(option);
    expect(err.message).toBe(message);
  });

  it('refuse options that are not an object', () => {
    expect(refusal(() => resolveConfig(null as never)).message).toBe('invalid options: it must be an object, not null');
    expect(refusal(() => resolveConfig([] as never)).message).toBe('invalid options: it must be an object, not an array');
  });
});

describe('the preset schema', () => {
  it.each([
    [{ name: 'p', defaults: { environments: 'staging' } }, 'preset p is malformed: defaults.environments must be an array of strings, not the string "staging"'],
    [{ name: 'p', defaults: { ownr: 'x' } }, 'preset p sets "ownr", which a preset cannot set (not an option: did you mean owner?)'],
    [{ name: 'p', locked: 'region' }, 'preset p is malformed: locked must be an array of strings, not the string "region"'],
    [{ name: 'p', locked: ['colour'] }, 'preset p locks "colour", which is not an option a preset can set'],
    [{ name: 'p', allowed: { target: 'lambda' } }, 'preset p is malformed: allowed.target must be an array of strings, not the string "lambda"'],
    [{ name: 'p', allowed: [] }, 'preset p is malformed: allowed must be an object, not an array'],
    [{ name: 'p', description: 3 }, 'preset p is malformed: description must be a string, not number 3'],
    [{ name: 'a\u2028b' }, 'preset ./p.json is malformed: name must be printable text on one line'],
    [{ name: 'p\u202egnp.exe' }, 'preset ./p.json is malformed: name must be printable text on one line'],
  ])('refuse %j', (preset, message) => {
    expect(refusal(() => checkPreset(preset as never, './p.json')).message).toBe(message);
  });

  it('accept "$schema", so an editor can check a preset against the published schema', () => {
    expect(() => checkPreset({ $schema: './node_modules/create-aws-pipeline/schema/preset.schema.json', name: 'p', defaults: { owner: 'team' } } as never, './p.json')).not.toThrow();
  });

  it('is published as schema/preset.schema.json, rendered from the same schema', () => {
    const { '//': marker, ...published } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'preset.schema.json'), 'utf8'));
    expect(marker).toMatch(/projen/);
    expect(published).toEqual({ title: 'create-aws-pipeline preset', ...JSON.parse(JSON.stringify(toJsonSchema(presetSchema, { errorMode: 'throw' }))) });
    expect(Object.keys(published.properties.defaults.properties)).toContain('environments');
    expect(published.properties.defaults.additionalProperties).toBe(false);
  });
});
