'use strict';
// `create-aws-pipeline/constructs` for resolvers that do not read package.json "exports".
module.exports = require('./dist/constructs.cjs');
