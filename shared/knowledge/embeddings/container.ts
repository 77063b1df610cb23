import type { Config } from '../../platform/config/index.ts';
import { createEmbedder } from './create-embedder.ts';
import type { Embedder } from './embedder.ts';

const embedders = new WeakMap<Config, Embedder>();

/** The container's one embedder for this configuration. */
export function getEmbedder(config: Config): Embedder {
  let embedder = embedders.get(config);
  if (!embedder) {
    embedder = createEmbedder(config);
    embedders.set(config, embedder);
  }
  return embedder;
}
