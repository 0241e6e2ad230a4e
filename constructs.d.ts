export * from './lib/src/constructs';
