import { describe, expect, test } from 'vitest';
import { startsLikeHtmlDocument } from '#shared/knowledge/documents/html-prologue.ts';

describe('startsLikeHtmlDocument', () => {
  test.each([
    ['<!DOCTYPE html><p>x</p>'],
    ['<!doctype   HTML>'],
    ['<html>'],
    ['<HTML lang="en">'],
    ['<html\n>'],
    ['\n\t <!-- a comment --> <!----><html>'],
    ['<!-- one -->\n<!-- two -- still two -->\n<!DOCTYPE html>'],
    ['<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'],
    ['<!-- before the declaration --><?xml version="1.0"?><!DOCTYPE html>'],
    ['\uFEFF<html>'],
  ])('takes %j as an HTML document', (text) => {
    expect(startsLikeHtmlDocument(text)).toBe(true);
  });

  test.each([
    [''],
    ['<p>a fragment</p>'],
    ['<htmlx>'],
    ['<html'],
    ['<!doctypehtml>'],
    ['<!DOCTYPE svg>'],
    ['text <html>'],
    ['<!-- never closed <html>'],
    ['<!--><html>'],
    ['<?xml version="1.0"?><note/>'],
    ['<?xml version="1.0"'],
    // A comment after the XML declaration was never part of the accepted prologue.
    ['<?xml version="1.0"?><!-- c --><html>'],
  ])('does not take %j as an HTML document', (text) => {
    expect(startsLikeHtmlDocument(text)).toBe(false);
  });

  test('answers for the run of empty comments that made the old pattern backtrack', () => {
    // Prepare: 500 empty comments and one character, the reported 3.5 KB body.
    const attack = `${'<!---->'.repeat(500)}x`;

    // Act / Assess
    expect(startsLikeHtmlDocument(attack)).toBe(false);
    expect(startsLikeHtmlDocument(`${'<!---->'.repeat(500)}<html>`)).toBe(true);
  });
});
