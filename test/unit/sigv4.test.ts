import { describe, expect, it } from 'vitest';
import { amzDate, signingKey, signRequest } from '#shared/platform/aws/sigv4.ts';

/**
 * Vectors published by AWS: the `get-vanilla` and `post-vanilla` cases of the Signature
 * Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html,
 * credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service `service`) and the
 * signing-key example of the SigV4 documentation ("Examples of how to derive a signing
 * key", 20120215, us-east-1, iam). Only the expected values are quoted, not the files.
 */
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const date = new Date('2015-08-30T12:36:00Z');

describe('SigV4', () => {
  it('derives the documented signing key', () => {
    const key = signingKey(credentials.secretAccessKey, '20120215', 'us-east-1', 'iam');
    expect(key.toString('hex')).toBe(
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    );
  });

  it.each([
    ['GET', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['POST', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ])('signs the test suite %s-vanilla request', (method, signature) => {
    const headers = signRequest(
      { method, url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      { credentials, region: 'us-east-1', service: 'service', date },
    );
    expect(headers).toEqual({
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    });
  });

  it('signs the session token and lower-cases header names', () => {
    const headers = signRequest(
      {
        method: 'POST',
        url: new URL('https://secretsmanager.eu-west-1.amazonaws.com/'),
        headers: { 'X-Amz-Target': 'secretsmanager.GetSecretValue' },
        body: '{}',
      },
      {
        credentials: { ...credentials, sessionToken: 'token' },
        region: 'eu-west-1',
        service: 'secretsmanager',
        date,
      },
    );
    expect(headers['x-amz-security-token']).toBe('token');
    expect(headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(headers.authorization).toContain(
      'SignedHeaders=host;x-amz-date;x-amz-security-token;x-amz-target,',
    );
  });

  it('formats the date as ISO 8601 basic', () => {
    expect(amzDate(date)).toBe('20150830T123600Z');
  });
});
