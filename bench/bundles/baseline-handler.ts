/** The smallest possible Lambda handler: the baseline every function's init time is read against. */
export const handler = async () => ({ statusCode: 200, body: 'ok' });
