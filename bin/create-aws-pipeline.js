#!/usr/bin/env node
'use strict';
// The CLI is one bundle (bundle/build.mjs): `npm create aws-pipeline` installs this package and nothing else.
// Node's compile cache (22.1+) keeps V8's compiled code of the bundle between runs, in the OS temp folder.
const { constants, enableCompileCache } = require('node:module');
const cache = enableCompileCache?.();
const { ENABLED, ALREADY_ENABLED } = constants?.compileCacheStatus ?? {};
// With the cache on, the bundle is compiled whole (V8's --no-lazy, for that one compile, as bytenode does): the cache
// then holds every function of it, not only its top level, and later runs read them instead of compiling each one they
// call (bench/scaffold.ts). Without a cache that would be work for nothing: the default stays.
const eager = cache !== undefined && (cache.status === ENABLED || cache.status === ALREADY_ENABLED);
const v8 = eager ? require('node:v8') : undefined;
v8?.setFlagsFromString('--no-lazy');
let cli;
try {
  cli = require('../dist/cli.cjs');
} finally {
  v8?.setFlagsFromString('--lazy');
}
cli.run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
