'use strict';
// `yaml` as the CLI uses it (src/render/yaml.ts, workflow.ts: a Document to stringify), in dist/cli.cjs: only those
// parts, by their files (yaml's index also loads its parser, lexer and composer, which writing YAML never uses).
// A new import from 'yaml' in src/ needs its line here; bundle/build.mjs fails the build when one is missing.
const { Document } = require('../node_modules/yaml/dist/doc/Document.js');
const { isScalar } = require('../node_modules/yaml/dist/nodes/identity.js');
const { visit } = require('../node_modules/yaml/dist/visit.js');

module.exports = { Document, isScalar, visit };
