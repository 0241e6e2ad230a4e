// `valibot` as the CLI uses it (src/model/schema.ts), in dist/cli.cjs: these functions only, from valibot's ES modules,
// so esbuild leaves the rest of valibot out (its CommonJS build holds all of it, about 90 kB of the bundle).
// A new function taken from valibot in src/ needs its name here; bundle/build.mjs fails the build when one is missing.
export { array, boolean, description, maxLength, minLength, number, optional, picklist, pipe, record, regex, safeParse, strictObject, string } from 'valibot';
