/**
 * Puts a stage's settings into its Secrets Manager secrets, one per group, in one command:
 *
 *   npm run settings:put -- --stage dev settings.json [--new-admin-key]
 *
 * The file holds the keys of `.env.example` as one JSON object. Needs AWS credentials for
 * the account and region the stage is deployed in.
 */
import { readFileSync } from 'node:fs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Command } from 'commander';
import { SETTINGS_MAX_AGE_MS } from '#shared/platform/config/index.ts';
import { SettingsFileError } from './settings/errors.ts';
import { putSettings } from './settings/put-settings.ts';

const program = new Command('settings:put')
  .description("Validate a settings JSON file and write it to the stage's secrets")
  .requiredOption('--stage <stage>', 'the stage deployed with `cdk deploy -c stage=<stage>`')
  .option('--new-admin-key', 'make a bootstrap admin key, print it once and store its hash')
  .argument('<file>', 'settings JSON file (the keys of .env.example)')
  .parse();

const [file] = program.args;
const { stage, newAdminKey } = program.opts<{ stage: string; newAdminKey?: boolean }>();

try {
  const settings: unknown = JSON.parse(readFileSync(file ?? '', 'utf8'));
  const result = await putSettings({
    stage,
    settings,
    newAdminKey: Boolean(newAdminKey),
    client: new SecretsManagerClient({}),
  });
  for (const name of result.written) console.log(`put ${name}`);
  for (const name of result.unchanged) {
    console.log(`left ${name} as it was (no ADMIN_API_KEY_SHA256 in the file)`);
  }
  if (result.adminKey) {
    console.log(`Bootstrap admin API key (shown once; keep it safe):\n  ${result.adminKey}`);
  }
  console.log(
    `Running functions use the new values within ${SETTINGS_MAX_AGE_MS / 60_000} minutes.`,
  );
} catch (error) {
  if (error instanceof SettingsFileError || error instanceof SyntaxError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
}
