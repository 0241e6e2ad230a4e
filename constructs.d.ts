export * from './dist/constructs';
