import { aws_codebuild as codebuild } from 'aws-cdk-lib';

/** CodeBuild's image. Its runtimes (aws/aws-codebuild-docker-images, ubuntu/standard/8.0/runtimes.yml) include every version the toolchains pin: Node.js 24 (of 22 and 24), Python 3.12, Corretto 21, Go 1.24. */
export const BUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_8_0;
