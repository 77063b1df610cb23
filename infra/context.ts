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
  /** Requests one IP address may make in 5 minutes before WAF blocks it; undefined: no WAF. */
  wafRateLimit: number | undefined;
  /**
   * Factor applied to each function's catalog `reservedConcurrency`; undefined: reserve
   * none (new accounts may have a concurrency quota of 10, below the catalog's sum).
   */
  reservedConcurrencyScale: number | undefined;
  /** Address subscribed to the alarm topic, if any. */
  alarmEmail: string | undefined;
}

const retentionDays = new Set(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'),
);

/** `-c flag=false` arrives as a string; cdk.json may hold a real boolean. */
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
]);

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
  waf: flag.default(true),
  // AWS WAF's rate-based rules count over 5 minutes and accept limits from 10.
  wafRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(2_000),
  // `false` to reserve nothing, `true` for the catalog's values, or a factor such as 0.5.
  reservedConcurrency: z.union([flag, z.coerce.number().positive().max(100)]).default(true),
  alarmEmail: z.email().optional(),
});

/** Every context key the app reads, as the README's context table lists them. */
export const contextKeys = Object.keys(contextSchema.shape);

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
  const { logRetentionDays, waf, wafRateLimit, reservedConcurrency, ...settings } = parsed.data;
  return {
    ...settings,
    logRetention: logRetentionDays as RetentionDays,
    wafRateLimit: waf ? wafRateLimit : undefined,
    reservedConcurrencyScale: reservedConcurrency === true ? 1 : reservedConcurrency || undefined,
    alarmEmail: settings.alarmEmail,
  };
}
