export { renderAppFiles } from './app-files';
export { renderAppspec } from './appspec';
export { renderBuildspec, APP_DIR } from './buildspec';
export { renderHookScripts } from './hooks';
export { renderTaskdef } from './taskdef';
export { toYaml } from './yaml';
export * from '../model/layout';
