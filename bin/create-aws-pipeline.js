#!/usr/bin/env node
'use strict';
// The CLI is one bundle (bundle/build.mjs): `npm create aws-pipeline` installs this package and nothing else.
require('../dist/cli.cjs')
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
