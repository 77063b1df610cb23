import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploymentSettings } from './context.ts';
import { PlatformStack } from './platform-stack.ts';

const app = new App();
const settings = readDeploymentSettings(app.node);

new PlatformStack(app, `AgentPlatform-${settings.stage}`, {
  settings,
  projectRoot: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  // Environment-agnostic unless the CLI knows an account: synth needs no credentials.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// cdk-nag 3 runs as a validation plugin at synthesis: any AwsSolutions finding, error or
// warning, that infra/nag-suppressions.ts does not acknowledge fails `cdk synth` (and CI).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
