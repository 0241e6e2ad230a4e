/**
 * The text of every template under templates/, by path (from templates/, without `.ejs`): bundle/build.mjs replaces
 * this module in the bundles (dist/cli.cjs, dist/index.cjs) with all of them, so the package ships no templates/
 * folder (`npm create` unpacks 72 files fewer). From the sources (tests, tools) there are none: template.ts reads
 * templates/.
 */
export const BUNDLED_TEMPLATES: Readonly<Record<string, string>> | undefined = undefined;
