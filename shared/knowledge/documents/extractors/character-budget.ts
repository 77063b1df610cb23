import { DocumentRejectedError } from '../errors.ts';

/** Counts extracted characters and stops the extraction as soon as the cap is passed. */
export class CharacterBudget {
  readonly #max: number;
  #used = 0;

  constructor(max: number) {
    this.#max = max;
  }

  spend(characters: number): void {
    this.#used += characters;
    if (this.#used > this.#max) throw tooManyCharacters(this.#max);
  }
}

export function tooManyCharacters(max: number): DocumentRejectedError {
  return new DocumentRejectedError(
    'too_many_characters',
    `The document holds more than the limit of ${max} characters of text.`,
  );
}
