// Validates a request body against its contract schema and turns zod's issues into one readable
// 400 message that names each field and says what to do.
import type { z } from 'zod';
import { AppError } from '../errors.js';

const maxIssuesShown = 5;

export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('INVALID_REQUEST', 'The request body must be a JSON object. See /api/v1/openapi.json for the fields.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const described = issues.slice(0, maxIssuesShown).map((issue) => describeIssue(issue, body));
  if (issues.length > maxIssuesShown) described.push(`and ${issues.length - maxIssuesShown} more problems`);
  throw new AppError('INVALID_REQUEST', `Invalid request: ${described.join('; ')}.`);
}

function describeIssue(issue: z.core.$ZodIssue, body: unknown): string {
  const field = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const value = valueAt(body, issue.path);
      if (value === undefined) return `${field} is missing: send it as ${article(issue.expected)}`;
      return `${field} must be ${article(issue.expected)}, not ${describeValue(value)}`;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}${field === 'body' ? '' : ` in ${field}`}: remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.message.startsWith('is ') ? `${field} ${issue.message}` : `${field} is too short: ${issue.message}`;
    default:
      return `${field} ${issue.message}`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.map((part, position) => (typeof part === 'number' ? `[${part}]` : position === 0 ? String(part) : `.${String(part)}`)).join('');
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = body;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function article(expected: string): string {
  if (expected === 'array') return 'an array';
  if (expected === 'object') return 'an object';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}
