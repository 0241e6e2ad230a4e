/**
 * The actions the workflow uses, pinned to full commit SHAs (the version in
 * the comment each `uses:` line carries). Upgrading one is a change here.
 */
export const ACTIONS = {
  'actions/checkout': { version: 'v4.2.2', sha: '11bd71901bbe5b1630ceea73d27597364c9af683' },
  'actions/setup-node': { version: 'v4.4.0', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020' },
  'actions/setup-python': { version: 'v5.6.0', sha: 'a26af69be951a213d495a4c3e4e4022e16d87065' },
  'actions/setup-java': { version: 'v4.7.1', sha: 'c5195efecf7bdfc987ee8bae7a71cb8b11521c00' },
  'actions/setup-go': { version: 'v5.5.0', sha: 'd35c59abb061a4a6fb18e82ac0862c26744d6ab5' },
  'actions/upload-artifact': { version: 'v4.4.3', sha: 'b4b15b8c7c6ac21ea08fcf65892d2ee8f75cf882' },
  'actions/download-artifact': { version: 'v4.1.8', sha: 'fa0a91b85d4f404e444e00e005971372dc801d16' },
  'aws-actions/configure-aws-credentials': { version: 'v4.2.1', sha: 'b47578312673ae6fa5b5096b330d9fbac3d116df' },
  'aws-actions/amazon-ecr-login': { version: 'v2.0.1', sha: '062b18b96a7aff071d4dc91bc00c4c1a7945b076' },
  'aws-actions/amazon-ecs-render-task-definition': { version: 'v1.8.4', sha: '77954e213ba1f9f9cb016b86a1d4f6fcdea0d57e' },
  'aws-actions/amazon-ecs-deploy-task-definition': { version: 'v2.6.1', sha: 'fc8fc60f3a60ffd500fcb13b209c59d221ac8c8c' },
} as const;
