import { SecretValue } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  type SettingsSecret,
  secretGroups,
  secretName,
  settingsSecrets,
} from '../../shared/platform/config/secret-groups.ts';
import { pascalCase } from '../naming.ts';

/**
 * The stage's settings secrets: `settings` (what every function reads) and one per secret
 * group, each named `agent-platform/<stage>/<secret>` so `npm run settings:put` finds them
 * from the stage alone. Functions are given the ones they need with
 * `PlatformFunction.readSettings`.
 */
export class PlatformSecrets extends Construct {
  readonly secrets: ReadonlyMap<SettingsSecret, Secret>;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.secrets = new Map(
      settingsSecrets.map((secret) => [
        secret,
        new Secret(this, pascalCase(secret), {
          secretName: secretName(props.stage, secret),
          description: describe(props.stage, secret),
          // An empty JSON object, not a generated password: the functions parse each secret
          // as JSON and start with defaults (offline mode) until real values are put in.
          secretStringValue: SecretValue.unsafePlainText('{}'),
        }),
      ]),
    );
  }

  get(secret: SettingsSecret): Secret {
    const found = this.secrets.get(secret);
    if (!found) throw new Error(`No ${secret} secret`);
    return found;
  }
}

function describe(stage: string, secret: SettingsSecret): string {
  const holds =
    secret === 'settings'
      ? 'the non-secret settings every function reads'
      : `${secretGroups[secret].join(', ')}, for the functions that need them`;
  return `Agent platform ${stage}: ${holds}. Written by npm run settings:put (README).`;
}
