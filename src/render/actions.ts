/**
 * The actions the workflow uses, pinned to full commit SHAs (the version in
 * the comment each `uses:` line carries). Upgrading one is a change here.
 */
export const ACTIONS = {
  'actions/checkout': { version: 'v4.2.2', sha: '11bd71901bbe5b1630ceea73d27597364c9af683' },
  'actions/setup-node': { version: 'v4.1.0', sha: '39370e3970a6d050c480ffad4ff0ed4d3fdee5af' },
  'actions/setup-python': { version: 'v5.3.0', sha: '0b93645e9fea7318ecaed2b359559ac225c90a2b' },
  'actions/setup-java': { version: 'v4.5.0', sha: '8df1039502a15bceb9433410b1a100fbe190c53b' },
  'actions/setup-go': { version: 'v5.1.0', sha: '41dfa10bad2bb2ae585af6ee5bb4d7d973ad74ed' },
  'actions/upload-artifact': { version: 'v4.4.3', sha: 'b4b15b8c7c6ac21ea08fcf65892d2ee8c75cf882' },
  'actions/download-artifact': { version: 'v4.1.8', sha: 'fa0a91b85d4f404e444e00e005971372dc801d16' },
  'aws-actions/configure-aws-credentials': { version: 'v4.0.2', sha: 'e3dd6a429d7300a6a4c196c26e071d42e0343502' },
  'aws-actions/amazon-ecr-login': { version: 'v2.0.1', sha: '062b18b96a7aff071d4dc91bc00c4c1a7945b076' },
  'aws-actions/amazon-ecs-render-task-definition': { version: 'v1.6.0', sha: '0000000000000000000000000000000000000000' },
  'aws-actions/amazon-ecs-deploy-task-definition': { version: 'v2.1.0', sha: '0000000000000000000000000000000000000000' },
} as const;
