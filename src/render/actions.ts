/**
 * The actions the workflow uses, pinned to full commit SHAs (the version in
 * the comment each `uses:` line carries): each release's tag commit, all on
 * the node24 runtime. Upgrading one is a change here. AWS deploys run the
 * repo's own scripts (scripts/deploy/), except ECS's own blue/green, canary
 * and linear (`--ecs-engine ecs`), which AWS's amazon-ecs-deploy-task-definition
 * starts and follows: only AWS's own actions hold AWS credentials.
 */
export const ACTIONS = {
  'actions/checkout': { version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  'actions/setup-node': { version: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  'actions/setup-python': { version: 'v7.0.0', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97' },
  'actions/setup-java': { version: 'v5.7.0', sha: 'b6effb05e454b25005698d916606bdc6ffcbf961' },
  'actions/setup-go': { version: 'v7.0.0', sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e' },
  'actions/upload-artifact': { version: 'v7.0.0', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f' },
  'actions/download-artifact': { version: 'v8.0.1', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c' },
  'aws-actions/configure-aws-credentials': { version: 'v6.2.3', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c' },
  'aws-actions/amazon-ecs-deploy-task-definition': { version: 'v2.6.3', sha: 'c465972ecbd160473f22e683363b422a5412a3de' },
} as const;
