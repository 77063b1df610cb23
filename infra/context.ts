import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod';

/** Settings of one deployment, read from CDK context (`cdk.json` or `-c key=value`). */
export interface DeploymentSettings {
  /** Stage name: the API Gateway stage and part of the stack name (`AgentPlatform-<stage>`). */
  stage: string;
  /** Steady-state requests per second API Gateway lets through for the whole stage. */
  throttleRateLimit: number;
  /** Requests API Gateway lets through in a burst above the steady rate. */
  throttleBurstLimit: number;
  /** Days every log group of the stack keeps its events. */
  logRetention: RetentionDays;
  /** Name of an existing settings secret to use instead of creating one. */
  settingsSecretName: string | undefined;
  /** Address subscribed to the alarm topic, if any. */
  alarmEmail: string | undefined;
}

const retentionDays = new Set(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'),
);

const contextSchema = z.object({
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lowercase letters, digits and dashes')
    .default('dev'),
  throttleRateLimit: z.coerce.number().positive().max(10_000).default(50),
  throttleBurstLimit: z.coerce.number().int().positive().max(5_000).default(100),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((days) => retentionDays.has(days), 'must be a retention CloudWatch Logs offers')
    .default(30),
  settingsSecretName: z.string().min(1).optional(),
  alarmEmail: z.email().optional(),
});

/** Reads and validates the deployment's context; throws naming each bad key. */
export function readDeploymentSettings(node: Node): DeploymentSettings {
  const raw = Object.fromEntries(
    Object.keys(contextSchema.shape).map((key) => {
      const value: unknown = node.tryGetContext(key);
      // `-c alarmEmail=` on the command line means "not set".
      return [key, value === '' || value === null ? undefined : value];
    }),
  );
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${String(issue.path[0])}: ${issue.message}`,
    );
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  const { logRetentionDays, ...settings } = parsed.data;
  return {
    ...settings,
    logRetention: logRetentionDays as RetentionDays,
    settingsSecretName: settings.settingsSecretName,
    alarmEmail: settings.alarmEmail,
  };
}
