// functions.json, generated at build time from ai-functions.ts's JSDoc by the generator that
// custom-functions-metadata-plugin runs in webpack: the three formulas with their parameters, range
// parameters as matrices, optional ones marked, spilled (matrix) results; and the registrations the
// plugin appends. test/browser/excel-formulas.test.ts checks the file in a real webpack build.
import path from 'node:path';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';

const functionsFile = path.resolve(import.meta.dirname, '../../src/functions/ai-functions.ts');

interface Parameter {
  name: string;
  type?: string;
  dimensionality?: string;
  optional?: boolean;
  description?: string;
}
interface FunctionMetadata {
  id: string;
  name: string;
  description: string;
  parameters: Parameter[];
  result: { dimensionality?: string };
}

test('functions.json lists CLASSIFY, TRANSLATE and SUMMARIZE with their parameters', async () => {
  const generated = await generateCustomFunctionsMetadata([functionsFile]);
  expect(generated.errors).toEqual([]);
  const metadata = JSON.parse(generated.metadataJson) as { functions: FunctionMetadata[] };
  const summary = metadata.functions.map((entry) => ({
    id: entry.id,
    name: entry.name,
    result: entry.result.dimensionality,
    parameters: entry.parameters.map(({ name, type, dimensionality, optional }) => ({ name, type, dimensionality, optional: optional === true })),
  }));
  expect(summary).toEqual([
    {
      id: 'CLASSIFY',
      name: 'CLASSIFY',
      result: 'matrix',
      parameters: [
        { name: 'text', type: 'any', dimensionality: 'matrix', optional: false },
        { name: 'labels', type: 'any', dimensionality: 'matrix', optional: false },
        { name: 'instructions', type: 'string', dimensionality: undefined, optional: true },
      ],
    },
    {
      id: 'TRANSLATE',
      name: 'TRANSLATE',
      result: 'matrix',
      parameters: [
        { name: 'text', type: 'any', dimensionality: 'matrix', optional: false },
        { name: 'to', type: 'string', dimensionality: undefined, optional: true },
        { name: 'from', type: 'string', dimensionality: undefined, optional: true },
      ],
    },
    {
      id: 'SUMMARIZE',
      name: 'SUMMARIZE',
      result: 'matrix',
      parameters: [
        { name: 'text_or_range', type: 'any', dimensionality: 'matrix', optional: false },
        { name: 'length', type: 'string', dimensionality: undefined, optional: true },
      ],
    },
  ]);
  // Excel shows these in the formula's help: every function and parameter has one.
  for (const entry of metadata.functions) {
    expect(entry.description.length).toBeGreaterThan(20);
    for (const parameter of entry.parameters) expect(parameter.description?.length ?? 0).toBeGreaterThan(10);
  }
  expect(generated.associate.map(({ id, functionName }) => [id, functionName])).toEqual([
    ['CLASSIFY', 'classify'],
    ['TRANSLATE', 'translate'],
    ['SUMMARIZE', 'summarize'],
  ]);
});
