import { aws_codebuild as codebuild } from 'aws-cdk-lib';

/** CodeBuild's image: every runtime version the toolchains pin (Node.js 22, Python 3.12, Corretto 21, Go 1.24). */
export const BUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_8_0;
