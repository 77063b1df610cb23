import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { functionCatalog } from '#functions/catalog.ts';
import { toLambdaContext } from '#local/api-gateway-event.ts';
import { copyDataFolder } from '../../infra/bundling/data-folders.ts';
import { bundleFileName, esbuildOptions } from '../../infra/bundling/esbuild-options.ts';
import { adminKeySettings } from '../support/admin-key.ts';
import { predefinedCMapPdf } from '../support/hand-written-pdf.ts';
import { useLocalRedis } from '../support/local-redis.ts';
import { proxyEvent } from '../support/proxy-event.ts';

const ADMIN_KEY = 'bootstrap-admin-key-for-ingest-bundle-test-01';
const redis = useLocalRedis();
const outdir = mkdtempSync(join(tmpdir(), 'ingest-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the ingest function as deployed', () => {
  it('parses documents in its bundled worker, from a folder without node_modules', async () => {
    // Built with the construct's own options: the handler, its extra entry points and its
    // data folders.
    const ingest = functionCatalog.find((definition) => definition.name === 'ingest');
    if (!ingest) throw new Error('no ingest function in the catalog');
    await build(esbuildOptions('functions/ingest/handler.ts', join(outdir, 'index.mjs')));
    for (const entry of ingest.extraEntryPoints ?? []) {
      await build(esbuildOptions(entry, join(outdir, bundleFileName(entry))));
    }
    for (const { from, to } of ingest.dataFolders ?? []) copyDataFolder(from, join(outdir, to));
    Object.assign(process.env, {
      ...redis.settings(),
      ...adminKeySettings(ADMIN_KEY),
      LOG_LEVEL: 'SILENT',
    });
    const { handler } = (await import(pathToFileURL(join(outdir, 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;
    };

    const event = proxyEvent('POST', '/v1/documents', {
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        text: '# Leave\n\n## Parental\n\nSixteen weeks, fully paid.',
        contentType: 'text/markdown',
      }),
    });
    const result = await handler(event, toLambdaContext('ingest', 29));
    // Japanese only, through a predefined CMap: no text (422) unless the worker finds the
    // CMaps copied beside it.
    const pdf = predefinedCMapPdf('日本語の報告書', {
      encoding: 'UniJIS-UCS2-H',
      ordering: 'Japan1',
    });
    const pdfResult = await handler(
      proxyEvent('POST', '/v1/documents', {
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          filename: 'report.pdf',
          contentBase64: Buffer.from(pdf).toString('base64'),
        }),
      }),
      toLambdaContext('ingest', 29),
    );

    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toMatchObject({
      status: 'created',
      type: 'markdown',
      chunkCount: 1,
    });
    expect(pdfResult.statusCode).toBe(201);
    expect(JSON.parse(pdfResult.body)).toMatchObject({
      status: 'created',
      type: 'pdf',
      chunkCount: 1,
    });
  });
});
