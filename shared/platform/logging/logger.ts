import { Logger } from '@aws-lambda-powertools/logger';
import { redactingReplacer } from './redaction.ts';

/**
 * The platform's structured JSON logger; one instance per container. Redaction happens
 * here, in the serializer, so no caller has to remember it.
 */
export const logger = new Logger({
  serviceName: 'agent-platform',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO').toUpperCase() as 'INFO',
  jsonReplacerFn: redactingReplacer,
});
