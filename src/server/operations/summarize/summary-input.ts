// The input limit of a summary counts everything the user sends to be read: the text, its
// attachments' text, or all the messages of a digest.
import type { Limits } from '../../config.js';
import { AppError } from '../../errors.js';
import { formatCount } from '../shared/input-limits.js';

export function checkCharacterCount(characters: number, description: string, advice: string, limits: Limits): void {
  if (characters > limits.maxTextCharacters) {
    throw new AppError(
      'INPUT_TOO_LARGE',
      `${description}: ${formatCount(characters)} characters; this server accepts at most ${formatCount(limits.maxTextCharacters)}. ${advice}`,
      { details: { limit: limits.maxTextCharacters, actual: characters } },
    );
  }
}
