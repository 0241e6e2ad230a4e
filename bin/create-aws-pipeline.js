#!/usr/bin/env node
'use strict';
// The CLI is one bundle (bundle/build.mjs): `npm create aws-pipeline` installs this package and nothing else.
// Node's compile cache (22.1+) keeps V8's compiled code of the bundle between runs, in the OS temp folder.
require('node:module').enableCompileCache?.();
require('../dist/cli.cjs')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
