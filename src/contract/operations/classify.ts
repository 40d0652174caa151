// POST /api/v1/classify: one of the given labels per item (or null with an error), in order.
import { z } from 'zod';
import { errorBodySchema } from '../common-schemas.js';
import { hasControlCharacter, normalizeLabel } from '../labels.js';
import { defineOperationContract, operationResponseSchema } from './define-operation-contract.js';

export const classifyRequestSchema = z
  .object({
    items: z.array(z.string()).min(1, 'is empty: send at least one item (a row, a message) to classify'),
    labels: z
      .array(
        z
          .string()
          .refine((label) => label.trim().length > 0, { message: 'is empty: every label needs text' })
          .refine((label) => !hasControlCharacter(label), {
            message: 'contains a control character: remove it',
          }),
      )
      .min(1, 'is empty: give at least one label to choose from')
      .superRefine((labels, context) => {
        const firstIndexByLabel = new Map<string, number>();
        labels.forEach((label, index) => {
          const key = normalizeLabel(label);
          const firstIndex = firstIndexByLabel.get(key);
          if (firstIndex === undefined) {
            firstIndexByLabel.set(key, index);
          } else {
            context.addIssue({
              code: 'custom',
              path: [index],
              message: `repeats labels[${firstIndex}] (${JSON.stringify(label)}): make every label unique`,
            });
          }
        });
      }),
    instructions: z.string().optional().meta({ description: 'extra guidance on how to choose, such as label definitions' }),
  })
  .strict()
  .meta({ id: 'ClassifyRequest' });
export type ClassifyRequest = z.infer<typeof classifyRequestSchema>;

export const classifyResultSchema = z
  .object({
    label: z.string().nullable().meta({ description: 'one of the request labels, or null with an error' }),
    error: errorBodySchema.optional(),
  })
  .meta({ id: 'ClassifyResult' });
export type ClassifyResult = z.infer<typeof classifyResultSchema>;

export const classifyResponseSchema = operationResponseSchema({
  results: z.array(classifyResultSchema).meta({ description: 'one per input item, in the same order' }),
}).meta({ id: 'ClassifyResponse' });
export type ClassifyResponse = z.infer<typeof classifyResponseSchema>;

export const classifyContract = defineOperationContract({
  name: 'classify',
  summary: 'Classify items into the given labels, one result per item, in order',
  request: classifyRequestSchema,
  response: classifyResponseSchema,
  streamEvents: ['item', 'progress'],
  example: {
    items: ['My card has not arrived yet', 'I want my money back for this order'],
    labels: ['card_arrival', 'refund', 'other'],
  },
});
