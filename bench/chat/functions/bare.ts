import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** The HTTP floor: a handler that parses the body and answers, with no middleware. */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const body = JSON.parse(event.body ?? '{}') as { message?: unknown };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ok: typeof body.message === 'string' }),
  };
};
