import * as z from 'zod';
import { metadataKeySchema } from '../../platform/validation/metadata-key.ts';

const DOCUMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,255}$/;

/** The vector share of hybrid fusion, as a request or a tenant's settings give it. */
export const vectorWeightSchema = z
  .number()
  .min(0)
  .max(1)
  .describe(
    "Hybrid only: the vector ranking's share of the fused score, 0 (lexical order) to 1 (vector order)",
  );

/** Body of `POST /v1/search`. */
export const searchRequestSchema = z
  .object({
    query: z.string().trim().min(1).max(2_000),
    k: z.number().int().min(1).max(50).default(8),
    mode: z.enum(['hybrid', 'vector', 'lexical']).default('hybrid'),
    vectorWeight: vectorWeightSchema
      .optional()
      .describe(
        "Hybrid only: the vector ranking's share, 0 (lexical order) to 1 (vector order); default: the tenant's setting, else the embedder's",
      ),
    filter: z
      .object({
        documentIds: z
          .array(z.string().regex(DOCUMENT_ID, 'must be a document id'))
          .min(1)
          .max(100)
          .optional(),
        sources: z.array(z.string().min(1).max(500)).min(1).max(50).optional(),
        metadata: z
          .record(metadataKeySchema, z.string().max(500))
          .refine((value) => Object.keys(value).length <= 20, 'at most 20 keys')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SearchRequest = z.infer<typeof searchRequestSchema>;

const pageRange = z.object({ from: z.number().int(), to: z.number().int() }).nullable();

/** One ranked chunk in a search response: what a citation shows. */
export const searchResultSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  source: z.string(),
  ordinal: z.number().int(),
  headingPath: z.array(z.string()),
  pageRange,
  offsets: z.object({ start: z.number().int(), end: z.number().int() }),
  metadata: z.record(z.string(), z.string()),
  snippet: z.string(),
  /** The chunk's text; empty when `textOmitted`. */
  text: z.string(),
  /** True when the text was left out to keep the response under its size budget. */
  textOmitted: z.boolean(),
  /** Ranking score of the request's mode: cosine, BM25 or the fused score (0-1). */
  score: z.number(),
  scores: z.object({ vector: z.number().nullable(), lexical: z.number().nullable() }),
});

/** Body of a `POST /v1/search` answer. */
export const searchResponseSchema = z.object({
  mode: z.enum(['hybrid', 'vector', 'lexical']),
  /** The index version searched: equal versions mean equal contents. */
  indexVersion: z.number().int(),
  /** The vector share hybrid fusion used; `null` in vector and lexical mode. */
  vectorWeight: z.number().nullable(),
  results: z.array(searchResultSchema),
});

export type SearchResponse = z.infer<typeof searchResponseSchema>;
