import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '#shared/platform/config/index.ts';
import { readmeTableKeys } from '../support/readme-table.ts';

describe('.env.example', () => {
  it('lists every setting, each with a comment above it', () => {
    const lines = readFileSync('.env.example', 'utf8').split('\n');
    for (const name of Object.keys(settingsSchema.shape)) {
      const index = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(index, `${name} missing from .env.example`).toBeGreaterThan(0);
      const above = lines.slice(0, index).reverse();
      const comment = above.find((line) => !/^[A-Z_]+=/.test(line));
      expect(comment?.startsWith('#'), `${name} needs a comment`).toBe(true);
    }
  });

  it('lists no setting the schema does not have', () => {
    const names = readFileSync('.env.example', 'utf8')
      .split('\n')
      .flatMap((line) => /^([A-Z_0-9]+)=/.exec(line)?.[1] ?? []);
    expect(names.sort()).toEqual(Object.keys(settingsSchema.shape).sort());
  });
});

describe("the README's configuration table", () => {
  it('has one row per setting of the schema', () => {
    expect(readmeTableKeys('setting').sort()).toEqual(Object.keys(settingsSchema.shape).sort());
  });
});
