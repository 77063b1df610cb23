import { Logger } from '@aws-lambda-powertools/logger';

/** The platform's structured JSON logger; one instance per container. */
export const logger = new Logger({
  serviceName: 'agent-platform',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO').toUpperCase() as 'INFO',
});
