'use strict';
// `projen` as our modules use it, in the bundles (see build.mjs): only these parts, each by deep require when first
// read, since projen's index loads every project type. A new import from 'projen' in src/ needs its line here.
Object.defineProperties(exports, {
  Component: { enumerable: true, get: () => require('projen/lib/component').Component },
  FileBase: { enumerable: true, get: () => require('projen/lib/file').FileBase },
  JsonFile: { enumerable: true, get: () => require('projen/lib/json').JsonFile },
  SampleFile: { enumerable: true, get: () => require('projen/lib/sample-file').SampleFile },
  javascript: { enumerable: true, get: () => require('projen/lib/javascript') },
  typescript: { enumerable: true, get: () => require('projen/lib/typescript') },
});
