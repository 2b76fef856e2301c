import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per process; handlers add the request id and caller per invocation. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tokenstocks' });
