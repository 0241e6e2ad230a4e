export { renderAppFiles } from './app-files';
export { renderAppspec, LAMBDA_ALIAS } from './appspec';
export { renderBuildspec, APP_DIR } from './buildspec';
export { renderHookScripts } from './hooks';
export { renderTaskdef } from './taskdef';
export { toYaml } from './yaml';
export * from './kinds';
