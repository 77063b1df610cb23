import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { PlatformStack } from './platform-stack.ts';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
const existingSecretName = app.node.tryGetContext('settingsSecretName') as string | undefined;

new PlatformStack(app, `AgentPlatform-${stage}`, {
  stage,
  projectRoot: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  ...(existingSecretName ? { existingSecretName } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
