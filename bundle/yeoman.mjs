// dist/yeoman.cjs: what dist/cli.cjs takes from Yeoman (see build.mjs, yeomanApart).
export * as environment from 'yeoman-environment';
export { default as Generator } from 'yeoman-generator';
