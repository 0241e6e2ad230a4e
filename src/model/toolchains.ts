/**
 * How each runtime's sample app is installed, linted, tested, built and
 * started: the buildspec, the CodeDeploy hook scripts and the docs read
 * these commands. Commands run in the app folder (`app/`).
 */
import type { Runtime } from './catalog';

export interface Toolchain {
  /** `runtime-versions` for CodeBuild's standard image (aws/codebuild/standard:7.0 or amazonlinux 2023). */
  readonly codebuildRuntime: Readonly<Record<string, string>>;
  readonly install: readonly string[];
  readonly lint: readonly string[];
  /** Unit tests; they write JUnit XML under `reports/`. */
  readonly test: readonly string[];
  readonly build: readonly string[];
  /** The build for a Lambda function, where it differs. @default - `build` */
  readonly lambdaBuild?: readonly string[];
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
  readonly hostPackage: string;
}

export const TOOLCHAINS: Readonly<Record<Runtime, Toolchain>> = {
  node: {
    codebuildRuntime: { nodejs: '22' },
    install: ['npm ci'],
    lint: ['npm run lint'],
    test: ['npm test'],
    build: ['npm run build', 'npm prune --omit=dev'],
    integrationTest: ['npm run test:integration'],
    reportFiles: ['reports/junit.xml'],
    cachePaths: ['/root/.npm/**/*'],
    start: 'node src/server.js',
    hostInstall: 'npm ci --omit=dev --no-audit --no-fund',
    hostCommand: 'node',
    hostPackage: 'nodejs22',
  },
  python: {
    codebuildRuntime: { python: '3.12' },
    install: ['python -m pip install --requirement requirements.txt'],
    lint: ['python -m compileall -q .'],
    test: ['python -m tests.run_junit reports/junit.xml'],
    build: [],
    integrationTest: ['python -m tests.run_junit reports/integration.xml integration'],
    reportFiles: ['reports/junit.xml'],
    cachePaths: ['/root/.cache/pip/**/*'],
    start: '.venv/bin/python app.py',
    hostInstall: 'python3 -m venv .venv && .venv/bin/python -m pip install --quiet --requirement requirements.txt',
    hostCommand: 'python3',
    hostPackage: 'python3.12',
  },
  java: {
    codebuildRuntime: { java: 'corretto21' },
    install: [],
    lint: ['mvn -B -q -DskipTests compile'],
    test: ['mvn -B test'],
    build: ['mvn -B -DskipTests package'],
    reportFiles: ['target/surefire-reports/*.xml'],
    cachePaths: ['/root/.m2/**/*'],
    start: 'java -jar target/app.jar',
    hostInstall: 'true',
    hostCommand: 'java',
    hostPackage: 'java-21-amazon-corretto-headless',
  },
  go: {
    codebuildRuntime: { golang: '1.23' },
    install: ['go mod tidy', 'go install gotest.tools/gotestsum@v1.12.0'],
    lint: ['go vet ./...'],
    test: ['mkdir -p reports', 'gotestsum --junitfile reports/junit.xml -- ./...'],
    build: ['CGO_ENABLED=0 go build -o bin/app .'],
    // provided.al2023 runs an executable named bootstrap.
    lambdaBuild: ['GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap .'],
    reportFiles: ['reports/junit.xml'],
    cachePaths: ['/root/go/pkg/mod/**/*', '/root/.cache/go-build/**/*'],
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
