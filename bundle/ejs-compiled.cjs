'use strict';
// `ejs` in dist/cli.cjs: every template is compiled at build time (dist/templates.cjs, bundle/build.mjs), so the CLI
// never compiles one and ejs itself is left out. Reached only if a template were missing from that file: a build bug.
exports.render = () => {
  throw new Error('this build of the CLI renders only the templates compiled into dist/templates.cjs');
};
