import { afterAll, describe, expect, test } from 'vitest';
import { chunkDocument } from '#shared/knowledge/documents/chunking/chunk-document.ts';
import type { Chunk } from '#shared/knowledge/documents/chunking/types.ts';
import { DocumentExtractor } from '#shared/knowledge/documents/document-extractor.ts';
import { extractDocument } from '#shared/knowledge/documents/extract-document.ts';
import { documentLimits } from '#shared/knowledge/documents/limits.ts';
import type { ExtractedDocument } from '#shared/knowledge/documents/types.ts';
import { parseConfig } from '#shared/platform/config/index.ts';
import {
  buildDocx,
  buildPdf,
  HTML_WITH_HIDDEN,
  latin1,
  MARKDOWN_HANDBOOK,
  utf8,
} from '#test/support/document-fixtures.ts';

const extractor = new DocumentExtractor({ limits: documentLimits(parseConfig({}).limits) });
afterAll(() => extractor.close());

function expectFaithful(extracted: ExtractedDocument, chunks: Chunk[]): void {
  chunks.forEach((chunk, index) => {
    expect(chunk.ordinal).toBe(index);
    expect(chunk.text).toBe(extracted.text.slice(chunk.start, chunk.end));
  });
}

describe('PDF', () => {
  test('keeps text per page, title and author, and page ranges on chunks', async () => {
    // Prepare
    const bytes = await buildPdf({
      title: 'Quarterly Report',
      author: 'Ada Lovelace',
      pages: [
        ['Quarterly Report', 'Revenue grew 12 percent.'],
        ['Costs', 'Cloud spend fell.'],
        ['Outlook', 'We expect growth.'],
      ],
    });

    // Act
    const extracted = await extractor.extract({ bytes, filename: 'q3.pdf' });
    const chunks = chunkDocument(extracted, { strategy: 'recursive', size: 60, overlap: 0 });

    // Assess
    expect(extracted).toMatchObject({
      type: 'pdf',
      title: 'Quarterly Report',
      author: 'Ada Lovelace',
    });
    expect(extracted.pages.map((page) => extracted.text.slice(page.start, page.end))).toEqual([
      'Quarterly Report\nRevenue grew 12 percent.',
      'Costs\nCloud spend fell.',
      'Outlook\nWe expect growth.',
    ]);
    expect(extracted.pages.map((page) => page.number)).toEqual([1, 2, 3]);
    expect(chunks.map(({ text, pageRange }) => ({ text, pageRange }))).toEqual([
      { text: 'Quarterly Report\nRevenue grew 12 percent.', pageRange: { from: 1, to: 1 } },
      {
        text: 'Costs\nCloud spend fell.\n\nOutlook\nWe expect growth.',
        pageRange: { from: 2, to: 3 },
      },
    ]);
    expect(chunks[1]?.start).toBe(extracted.pages[1]?.start);
    expect(chunks[1]?.end).toBe(extracted.pages[2]?.end);
    expectFaithful(extracted, chunks);
  });

  test("reads in-process too, leaving the caller's bytes intact", async () => {
    // Prepare
    const bytes = await buildPdf({ pages: [['Only page']] });
    const limits = documentLimits(parseConfig({}).limits);

    // Act
    const first = await extractDocument({ bytes, filename: 'a.pdf' }, limits);
    const second = await extractDocument({ bytes, filename: 'a.pdf' }, limits);

    // Assess
    expect(first.text).toBe('Only page');
    expect(second).toEqual(first);
    expect(bytes.byteLength).toBeGreaterThan(0);
  });
});

describe('PDF metadata', () => {
  test('is optional', async () => {
    // Act
    const extracted = await extractor.extract({
      bytes: await buildPdf({ pages: [['No info']] }),
      filename: 'plain.pdf',
    });

    // Assess
    expect(extracted.title).toBeUndefined();
    expect(extracted.author).toBeUndefined();
    expect(extracted.pages).toEqual([{ number: 1, start: 0, end: 7 }]);
  });
});

describe('Markdown', () => {
  test('drops front matter into metadata and gives every chunk its heading path', async () => {
    // Act
    const extracted = await extractor.extract({
      bytes: utf8(MARKDOWN_HANDBOOK),
      filename: 'handbook.md',
    });
    const chunks = chunkDocument(extracted);

    // Assess
    expect(extracted).toMatchObject({
      type: 'markdown',
      title: 'Engineering Handbook',
      author: 'Platform Team',
      metadata: {
        title: 'Engineering Handbook',
        author: 'Platform Team',
        tags: 'onboarding, process',
        'owner.team': 'platform',
      },
    });
    expect(extracted.text.startsWith('# Engineering Handbook\n')).toBe(true);
    expect(extracted.text).not.toContain('tags:');
    expect(chunks.map(({ text, headingPath }) => ({ text, headingPath }))).toEqual([
      {
        text: '# Engineering Handbook\n\nWelcome to the team. This handbook explains how we work.',
        headingPath: ['Engineering Handbook'],
      },
      {
        text: '## Deployments\n\nWe deploy every weekday. Rollbacks are automatic.',
        headingPath: ['Engineering Handbook', 'Deployments'],
      },
      {
        text: '### Rollback procedure\n\nRun the rollback job and page the on-call engineer.',
        headingPath: ['Engineering Handbook', 'Deployments', 'Rollback procedure'],
      },
      {
        text: '## On-call\n\nThe rotation changes every Monday at noon.',
        headingPath: ['Engineering Handbook', 'On-call'],
      },
    ]);
    expect(chunks[2]?.start).toBe(extracted.text.indexOf('### Rollback procedure'));
    expect(chunks.every((chunk) => chunk.pageRange === null)).toBe(true);
    expectFaithful(extracted, chunks);
  });
});

describe('HTML', () => {
  test('keeps visible text, the title and headings; drops scripts, styles and hidden elements', async () => {
    // Act
    const extracted = await extractor.extract({
      bytes: utf8(HTML_WITH_HIDDEN),
      contentType: 'text/html; charset=utf-8',
    });
    const chunks = chunkDocument(extracted, { strategy: 'markdown', size: 1200, overlap: 200 });

    // Assess
    expect(extracted).toMatchObject({
      type: 'html',
      title: 'Travel & Expenses Policy',
      author: 'Finance Team',
    });
    expect(extracted.text).toBe(
      [
        'Travel Policy',
        'Book flights through the portal.',
        'Hotels',
        'Stay within the nightly limit.',
        'Europe: 180 EUR\nUSA: 220 USD',
        'Meals',
        'Keep receipts.',
      ].join('\n\n'),
    );
    for (const invisible of [
      'script',
      'styled',
      'hidden',
      'display',
      'invisible',
      'javascript',
      'template',
      'Skip',
    ]) {
      expect(extracted.text).not.toContain(invisible);
    }
    expect(chunks.map(({ text, headingPath }) => ({ text, headingPath }))).toEqual([
      { text: 'Travel Policy\n\nBook flights through the portal.', headingPath: ['Travel Policy'] },
      {
        text: 'Hotels\n\nStay within the nightly limit.\n\nEurope: 180 EUR\nUSA: 220 USD',
        headingPath: ['Travel Policy', 'Hotels'],
      },
      { text: 'Meals\n\nKeep receipts.', headingPath: ['Travel Policy', 'Meals'] },
    ]);
    expect(chunks[2]?.start).toBe(extracted.text.indexOf('Meals'));
    expectFaithful(extracted, chunks);
  });
});

describe('DOCX', () => {
  test('keeps headings from the Heading styles and the core properties', async () => {
    // Prepare
    const bytes = buildDocx({
      title: 'Onboarding Guide',
      author: 'People Team',
      paragraphs: [
        { text: 'Onboarding', style: 'Heading1' },
        { text: 'Welcome aboard & enjoy.' },
        { text: 'First week', style: 'Heading2' },
        { text: 'Meet your buddy.' },
        { text: 'Laptop setup', style: 'Heading3' },
        { text: 'Install the VPN client.' },
        { text: 'Benefits', style: 'Heading2' },
        { text: 'Enrol within 30 days.' },
      ],
    });

    // Act
    const extracted = await extractor.extract({ bytes, filename: 'guide.docx' });
    const chunks = chunkDocument(extracted);

    // Assess
    expect(extracted).toMatchObject({
      type: 'docx',
      title: 'Onboarding Guide',
      author: 'People Team',
    });
    expect(extracted.text).toBe(
      'Onboarding\n\nWelcome aboard & enjoy.\n\nFirst week\n\nMeet your buddy.\n\nLaptop setup\n\nInstall the VPN client.\n\nBenefits\n\nEnrol within 30 days.',
    );
    expect(chunks.map(({ text, headingPath }) => ({ text, headingPath }))).toEqual([
      { text: 'Onboarding\n\nWelcome aboard & enjoy.', headingPath: ['Onboarding'] },
      { text: 'First week\n\nMeet your buddy.', headingPath: ['Onboarding', 'First week'] },
      {
        text: 'Laptop setup\n\nInstall the VPN client.',
        headingPath: ['Onboarding', 'First week', 'Laptop setup'],
      },
      { text: 'Benefits\n\nEnrol within 30 days.', headingPath: ['Onboarding', 'Benefits'] },
    ]);
    expectFaithful(extracted, chunks);
  });
});

describe('plain text', () => {
  test('reads Latin-1 bytes as the characters they stand for', async () => {
    // Prepare
    const original = 'Café crème, naïve Größe.\r\nÀ bientôt : 25 °C, ½ prix.\r\n';

    // Act
    const extracted = await extractor.extract({ bytes: latin1(original), filename: 'notes.txt' });
    const chunks = chunkDocument(extracted, { strategy: 'sliding_window', size: 30, overlap: 5 });

    // Assess
    expect(extracted).toMatchObject({ type: 'text', title: 'Café crème, naïve Größe.' });
    expect(extracted.text).toBe('Café crème, naïve Größe.\nÀ bientôt : 25 °C, ½ prix.\n');
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'Café crème, naïve Größe.\nÀ bie',
      'À bientôt : 25 °C, ½ prix.',
    ]);
    expectFaithful(extracted, chunks);
  });

  test('warms up a worker ahead of the first document and uses it', async () => {
    // Prepare
    const fresh = new DocumentExtractor({ limits: documentLimits(parseConfig({}).limits) });

    // Act
    await fresh.warmUp();
    const warmed = fresh.stats;
    await fresh.warmUp();
    const extracted = await fresh.extract({
      bytes: await buildPdf({ pages: [['Warm']] }),
      filename: 'w.pdf',
    });
    await fresh.close();

    // Assess
    expect(warmed).toEqual({ started: 1, terminated: 0, idle: 1 });
    expect(extracted.text).toBe('Warm');
    expect(fresh.stats).toEqual({ started: 1, terminated: 1, idle: 0 });
  });

  test('reuses one warm worker for consecutive documents', async () => {
    // Prepare
    const before = extractor.stats;

    // Act
    await extractor.extract({ bytes: utf8('first'), filename: 'a.txt' });
    await extractor.extract({ bytes: utf8('second'), filename: 'b.txt' });

    // Assess
    expect(extractor.stats.started).toBe(before.started);
    expect(extractor.stats.idle).toBe(1);
  });
});
