/**
 * The templates inside the bundles, by path (from templates/, without `.ejs`): bundle/build.mjs replaces this module.
 * In dist/index.cjs, their text (BUNDLED_TEMPLATES): the package ships no templates/ folder (`npm create` unpacks 72
 * files fewer). In dist/cli.cjs, the functions ejs makes of them, compiled ahead of time (COMPILED_TEMPLATES, from
 * dist/templates.cjs: with Node's compile cache, no run compiles a template again). From the sources (tests, tools)
 * there are none: template.ts reads templates/ and has ejs compile them.
 */
export const BUNDLED_TEMPLATES: Readonly<Record<string, string>> | undefined = undefined;

/** A template's function, as ejs makes it: the locals (read through `with`), and the escape function for `<%=`. */
export type CompiledTemplate = (locals: Record<string, unknown>, escapeFn: (value: string) => string) => string;

export const COMPILED_TEMPLATES: Readonly<Record<string, CompiledTemplate>> | undefined = undefined;
