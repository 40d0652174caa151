// OpenAI's documented limits for strict structured outputs (Structured Outputs, "Supported schemas"):
// 5,000 object properties, 10 levels of nesting, 1,000 enum values, 120,000 characters of property
// names and enum/const values, 15,000 characters for one string enum of more than 250 values. Every
// answer schema the planner can send stays inside them, with 500 labels of 200 characters.
import { itemIds, resultsSchema, structuredOutputLimits } from '../../src/server/operations/classify/classify-prompt.js';
import { useBffWithFakeProvider } from '../support/bff.js';
import { classifyRequestParts, type JsonSchema } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { classifyResponseSchema } from '../../src/contract/schemas.js';

interface SchemaSize {
  properties: number;
  depth: number;
  enumValues: number;
  stringCharacters: number;
  /** Characters of the largest string enum with more than 250 values. */
  largeStringEnumCharacters: number;
}

function measure(schema: unknown, depth = 1): SchemaSize {
  const size: SchemaSize = { properties: 0, depth: 0, enumValues: 0, stringCharacters: 0, largeStringEnumCharacters: 0 };
  if (typeof schema !== 'object' || schema === null) return size;
  const node = schema as Record<string, unknown>;
  const nested = node['type'] === 'object' || node['type'] === 'array';
  size.depth = nested ? depth : 0;
  const add = (child: SchemaSize) => {
    size.properties += child.properties;
    size.depth = Math.max(size.depth, child.depth);
    size.enumValues += child.enumValues;
    size.stringCharacters += child.stringCharacters;
    size.largeStringEnumCharacters = Math.max(size.largeStringEnumCharacters, child.largeStringEnumCharacters);
  };
  if (Array.isArray(node['enum'])) {
    const values = node['enum'] as unknown[];
    size.enumValues += values.length;
    const characters = values.reduce<number>((total, value) => total + (typeof value === 'string' ? value.length : 0), 0);
    size.stringCharacters += characters;
    if (values.length > structuredOutputLimits.largeEnumValues && values.every((value) => typeof value === 'string'))
      size.largeStringEnumCharacters = characters;
  }
  if (typeof node['const'] === 'string') size.stringCharacters += node['const'].length;
  const properties = node['properties'];
  if (typeof properties === 'object' && properties !== null) {
    for (const [name, child] of Object.entries(properties)) {
      size.properties += 1;
      size.stringCharacters += name.length;
      add(measure(child, nested ? depth + 1 : depth));
    }
  }
  if (node['items'] !== undefined) add(measure(node['items'], nested ? depth + 1 : depth));
  return size;
}

function withinLimits(schema: unknown): boolean {
  const size = measure(schema);
  return (
    size.properties <= structuredOutputLimits.maxObjectProperties &&
    size.depth <= structuredOutputLimits.maxNestingDepth &&
    size.enumValues <= structuredOutputLimits.maxEnumValues &&
    size.stringCharacters <= structuredOutputLimits.maxSchemaStringCharacters &&
    size.largeStringEnumCharacters <= structuredOutputLimits.maxLargeStringEnumCharacters
  );
}

/** 500 distinct labels of 200 characters each: the most MAX_LABELS and MAX_LABEL_CHARACTERS allow by default. */
const worstLabels = Array.from({ length: 500 }, (_, index) => `label ${String(index).padStart(3, '0')} `.padEnd(200, 'x'));

test('every batch size the planner can make, 1 to 400 rows, with 500 labels of 200 characters', () => {
  for (let rows = 1; rows <= 400; rows += 1) {
    const schema = resultsSchema(itemIds(rows), worstLabels);
    if (!withinLimits(schema)) throw new Error(`the schema for ${rows} rows breaks a limit: ${JSON.stringify(measure(schema))}`);
    // Every id is required and nothing else is allowed, as strict mode demands.
    expect((schema['required'] as string[]).length).toBe(rows);
    expect(schema['additionalProperties']).toBe(false);
  }
  // One row keeps an enum of the label numbers (the local model's grammar knows enum, not minimum/maximum).
  expect(measure(resultsSchema(itemIds(1), worstLabels)).enumValues).toBe(500);
  // The measure is not blind: labels as a string enum, as the answer schema had them before, break two limits.
  const labelsAsStrings = { type: 'object', properties: { label: { type: 'string', enum: worstLabels } }, required: ['label'], additionalProperties: false };
  expect(measure(labelsAsStrings).largeStringEnumCharacters).toBeGreaterThan(structuredOutputLimits.maxLargeStringEnumCharacters);
  expect(withinLimits(labelsAsStrings)).toBe(false);
  expect(
    withinLimits(
      resultsSchema(
        itemIds(400),
        Array.from({ length: 1_001 }, (_, index) => String(index)),
      ),
    ),
  ).toBe(true);
});

const setup = useBffWithFakeProvider({ LLM_MODEL: 'gpt-4o-mini', RATE_LIMIT_PER_MINUTE: '0', CACHE: 'off' });

test('through the BFF: the schemas sent for 500 labels of 200 characters respect the limits, and the rows are labelled', async () => {
  const items = Array.from({ length: 1_200 }, (_, index) => `ticket ${index}: the customer writes about label ${String(index % 500).padStart(3, '0')}`);
  const response = await postJson(`${setup.bff.url}/api/v1/classify`, { items, labels: worstLabels });
  expect(response.status).toBe(200);
  const body = classifyResponseSchema.parse(response.body);
  expect(body.results.every((result) => result.label !== null)).toBe(true);
  expect(setup.fake.requests.length).toBeGreaterThan(1);
  for (const request of setup.fake.requests) {
    const schema: JsonSchema | undefined = request.body.response_format?.json_schema?.schema;
    expect(request.body.response_format?.json_schema?.strict).toBe(true);
    expect(withinLimits(schema)).toBe(true);
    expect(Object.keys(schema?.properties ?? {})).toHaveLength(classifyRequestParts(request.body)!.items.length);
  }
});
