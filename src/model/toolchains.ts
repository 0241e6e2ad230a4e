/**
 * How each runtime's sample app is installed, linted, tested, built and
 * started: the buildspec, the CodeDeploy hook scripts and the docs read
 * these commands. Commands run in the app folder (`app/`).
 */
import type { Runtime } from './catalog';
import { NODE } from './node-version';

export interface Toolchain {
  /** `runtime-versions` for CodeBuild's image (aws/codebuild/standard:8.0); GitHub Actions sets up the same versions. */
  readonly codebuildRuntime: Readonly<Record<string, string>>;
  readonly install: readonly string[];
  readonly lint: readonly string[];
  /** Unit tests; they write JUnit XML under `reports/`. */
  readonly test: readonly string[];
  /**
   * The same unit tests as the repo's `npx projen test` runs them on a developer's machine, where `test` needs a tool
   * only CI's `install` puts there (gotestsum): the runtime's own tools only. Absent: `test`.
   */
  readonly localTest?: readonly string[];
  readonly build: readonly string[];
  /** A Lambda function from a zip: its runtime, handler, and the commands that build `function.zip` in the app folder. */
  readonly lambda?: { readonly runtime: string; readonly handler: string; readonly package: readonly string[] };
  /** Integration tests of the sample server (EC2, ECS), run by their own pipeline action; JUnit in reports/integration.xml. */
  readonly integrationTest?: readonly string[];
  /** The JUnit files, relative to the app folder. */
  readonly reportFiles: readonly string[];
  /** Folders CodeBuild caches between builds. */
  readonly cachePaths: readonly string[];
  /** How the app starts on a host (EC2), from the app folder. */
  readonly start: string;
  /** How a host installs the app's production dependencies, from the app folder. */
  readonly hostInstall: string;
  /** The executable the host must have; the BeforeInstall hook installs `hostPackage` when it is missing. */
  readonly hostCommand: string;
  /** The packages (space-separated) that provide it on Amazon Linux 2023. */
  readonly hostPackage: string;
}

export const TOOLCHAINS: Readonly<Record<Runtime, Toolchain>> = {
  node: {
    codebuildRuntime: { nodejs: NODE.version },
    install: ['npm ci'],
    lint: ['npm run lint'],
    test: ['npm test'],
    build: ['npm run build', 'npm prune --omit=dev'],
    lambda: { runtime: NODE.lambdaRuntime, handler: 'src/handler.handler', package: ['npm run build', 'npm prune --omit=dev', 'zip -qr function.zip src node_modules package.json'] },
    integrationTest: ['npm run test:integration'],
    reportFiles: ['reports/junit.xml'],
    cachePaths: ['/root/.npm/**/*'],
    start: 'node src/server.js',
    hostInstall: 'npm ci --omit=dev --no-audit --no-fund',
    hostCommand: 'node',
    // Amazon Linux 2023 ships npm apart from Node.js.
    hostPackage: NODE.hostPackage,
  },
  python: {
    codebuildRuntime: { python: '3.12' },
    install: ['python -m pip install --requirement requirements.txt'],
    lint: ['python -m compileall -q .'],
    test: ['python -m tests.run_junit reports/junit.xml'],
    build: [],
    // The function's dependencies go into the zip beside the handler.
    lambda: {
      runtime: 'python3.12',
      handler: 'handler.lambda_handler',
      package: ['rm -rf build function.zip && mkdir build', 'python -m pip install --quiet --requirement requirements.txt --target build', 'cp handler.py build/', '(cd build && zip -qr ../function.zip .)'],
    },
    integrationTest: ['python -m tests.run_junit reports/integration.xml integration'],
    reportFiles: ['reports/junit.xml'],
    cachePaths: ['/root/.cache/pip/**/*'],
    start: '.venv/bin/python app.py',
    // AL2023's python3 stays 3.9: the app runs on the 3.12 that CI tests.
    hostInstall: 'python3.12 -m venv .venv && .venv/bin/python -m pip install --quiet --requirement requirements.txt',
    hostCommand: 'python3.12',
    hostPackage: 'python3.12',
  },
  java: {
    codebuildRuntime: { java: 'corretto21' },
    install: [],
    lint: ['mvn -B -q -DskipTests compile'],
    test: ['mvn -B test'],
    build: ['mvn -B -DskipTests package'],
    lambda: { runtime: 'java21', handler: 'com.example.app.Handler::handleRequest', package: ['mvn -B -DskipTests package', 'cp target/app.jar function.zip'] },
    reportFiles: ['target/surefire-reports/*.xml'],
    cachePaths: ['/root/.m2/**/*'],
    start: 'java -jar target/app.jar',
    hostInstall: 'true',
    hostCommand: 'java',
    hostPackage: 'java-21-amazon-corretto-headless',
  },
  go: {
    codebuildRuntime: { golang: '1.24' },
    install: ['go mod tidy', 'go install gotest.tools/gotestsum@v1.12.0'],
    lint: ['go vet ./...'],
    test: ['mkdir -p reports', 'gotestsum --junitfile reports/junit.xml -- ./...'],
    // go.sum is not in the template: `go mod tidy` writes it (as CI's install does), then the tests run.
    localTest: ['go mod tidy', 'go test ./...'],
    build: ['CGO_ENABLED=0 go build -o bin/app .'],
    // provided.al2023 runs an executable named bootstrap; the zip keeps its executable bit.
    lambda: { runtime: 'provided.al2023', handler: 'bootstrap', package: ['GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap .', 'chmod 755 bootstrap', 'zip -qj function.zip bootstrap'] },
    reportFiles: ['reports/junit.xml'],
    // GOPATH is /go in CodeBuild's images.
    cachePaths: ['/go/pkg/mod/**/*', '/root/.cache/go-build/**/*'],
    start: './bin/app',
    hostInstall: 'true',
    hostCommand: 'true',
    hostPackage: '',
  },
  container: {
    codebuildRuntime: {},
    install: [],
    lint: [],
    test: ['docker build --target test .'],
    build: [],
    reportFiles: [],
    cachePaths: [],
    start: '',
    hostInstall: 'true',
    hostCommand: 'docker',
    hostPackage: 'docker',
  },
};
