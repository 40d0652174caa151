// A profile is a set of the BFF's own environment variables (README "All settings"), so the evaluation
// builds its provider exactly as `npm run serve` does: loadConfig → createLanguageModel → the
// resilience wrapper. Shorthands name the common cases; `KEY=VALUE` pairs after a comma add or
// override variables, including the evaluation's prices (LLM_PRICE_INPUT_PER_MTOK and
// LLM_PRICE_OUTPUT_PER_MTOK, in the currency of your bill per million tokens).
import { pino } from 'pino';
import { loadConfig, type Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import type { LanguageModel } from '../server/providers/language-model.js';
import { createLanguageModel } from '../server/providers/create-language-model.js';
import { resilientFromConfig } from '../server/resilience/resilient-language-model.js';
import type { Prices } from './metrics.js';

export type Environment = Record<string, string | undefined>;

export interface Profile {
  /** As given on the command line, e.g. `openai:gpt-4o-mini`. */
  name: string;
  /** Variables set on top of the environment the CLI was started with. */
  variables: Record<string, string>;
}

/** No profile given: the environment alone, exactly as `npm run serve` would read it. */
export const environmentProfile: Profile = { name: 'environment', variables: {} };

/**
 * `openai:<model>`, `azure:<deployment>`, `local` or `local:<gguf path or model URI>`,
 * `ollama:<model>` (http://localhost:11434/v1), `compatible:<model>@<base URL>`, or only `KEY=VALUE`
 * pairs; any of them followed by `,KEY=VALUE,…` (`PROFILE_NAME=…` names the profile in the report).
 */
export function parseProfile(specification: string): Profile {
  const [head = '', ...rest] = specification.split(',');
  const variables: Record<string, string> = {};
  const assignments = head.includes('=') ? [head, ...rest] : rest;
  if (!head.includes('=')) Object.assign(variables, shorthand(head.trim(), specification));
  for (const assignment of assignments) {
    const separator = assignment.indexOf('=');
    const key = assignment.slice(0, separator).trim();
    if (separator <= 0 || !/^[A-Z][A-Z0-9_]*$/.test(key)) {
      throw new AppError('INVALID_REQUEST', `Profile ${JSON.stringify(specification)}: ${JSON.stringify(assignment)} is not KEY=VALUE.`);
    }
    variables[key] = assignment.slice(separator + 1);
  }
  // PROFILE_NAME names the profile in the report; it is the evaluation's, not a BFF variable.
  const name = variables['PROFILE_NAME'] ?? redactSecrets(head);
  delete variables['PROFILE_NAME'];
  return { name, variables };
}

function shorthand(head: string, specification: string): Record<string, string> {
  const colon = head.indexOf(':');
  const kind = colon < 0 ? head : head.slice(0, colon);
  const argument = colon < 0 ? '' : head.slice(colon + 1);
  switch (kind) {
    case 'openai':
      return { LLM_PROVIDER: 'openai', ...(argument === '' ? {} : { LLM_MODEL: argument }) };
    case 'azure':
      return { LLM_PROVIDER: 'azure', ...(argument === '' ? {} : { AZURE_OPENAI_DEPLOYMENT: argument }) };
    case 'local':
      return { LLM_PROVIDER: 'local', ...(argument === '' ? {} : { LOCAL_MODEL: argument }) };
    case 'ollama':
      if (argument === '') break;
      return { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://localhost:11434/v1', LLM_MODEL: argument };
    case 'compatible': {
      const at = argument.lastIndexOf('@');
      if (at <= 0) break;
      return { LLM_PROVIDER: 'openai', LLM_MODEL: argument.slice(0, at), OPENAI_BASE_URL: argument.slice(at + 1) };
    }
  }
  throw new AppError(
    'INVALID_REQUEST',
    `Profile ${JSON.stringify(specification)} is not one of openai:<model>, azure:<deployment>, local[:<model>], ollama:<model>, compatible:<model>@<base URL> or KEY=VALUE,…`,
  );
}

/** Values of variables whose name says secret (…KEY, …TOKEN, …SECRET, …PASSWORD) replaced: reports and names never carry them. */
export function redactSecrets(text: string): string {
  return text.replace(/\b([A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*=)[^,\s]+/g, '$1[redacted]');
}

export interface ProfileSession {
  profile: Profile;
  config: Config;
  /** The resilient model, as the BFF's operations receive it. */
  model: LanguageModel;
  prices: Prices | undefined;
  close(): Promise<void>;
}

/** Prices from the profile's variables; both or neither. */
export function pricesFrom(environment: Environment): Prices | undefined {
  const input = environment['LLM_PRICE_INPUT_PER_MTOK'];
  const output = environment['LLM_PRICE_OUTPUT_PER_MTOK'];
  if (input === undefined && output === undefined) return undefined;
  const inputPerMillionTokens = Number(input);
  const outputPerMillionTokens = Number(output);
  if (input === undefined || output === undefined || !(inputPerMillionTokens >= 0) || !(outputPerMillionTokens >= 0)) {
    throw new AppError(
      'INVALID_REQUEST',
      'Set both LLM_PRICE_INPUT_PER_MTOK and LLM_PRICE_OUTPUT_PER_MTOK to numbers ≥ 0 (price per million tokens), or neither.',
    );
  }
  return { inputPerMillionTokens, outputPerMillionTokens };
}

/**
 * Builds the profile's provider as the BFF does. The result cache is always off: an answer from an
 * earlier run would fake speed and cost nothing. Waits (abortably) until a local model has loaded.
 */
export async function openProfile(profile: Profile, base: Environment, signal: AbortSignal): Promise<ProfileSession> {
  const environment: Environment = { ...base, ...profile.variables, CACHE: 'off' };
  const config = loadConfig(environment);
  const prices = pricesFrom(environment);
  // The evaluation prints its own progress; provider logs (never document text) only at warn and above.
  const logger = pino({ level: 'warn' }, process.stderr);
  const model = resilientFromConfig(await createLanguageModel(config, logger), config.upstream);
  try {
    await waitUntilReady(model, signal);
  } catch (error) {
    await model.close();
    throw error;
  }
  return { profile, config, model, prices, close: () => model.close() };
}

async function waitUntilReady(model: LanguageModel, signal: AbortSignal): Promise<void> {
  for (;;) {
    const status = model.status();
    if (status.state !== 'starting') return;
    if (signal.aborted) throw new AppError('CANCELLED', 'The evaluation was stopped.');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
