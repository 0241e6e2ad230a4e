export * from './catalog';
export * from './matrix';
export * from './options';
export * from './config';
export * as awsNames from './aws-names';
export { REGIONS } from './regions';
export * from './toolchains';
export * from './preset';
