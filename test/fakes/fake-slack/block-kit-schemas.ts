/**
 * zod schemas for the Block Kit the bot sends. Loose on purpose: unknown keys pass through (Slack
 * keeps adding them), but every field the fake's limit checks read is typed here, once, at the edge.
 */
import { z } from 'zod';

export const TextObjectSchema = z.looseObject({
  type: z.enum(['plain_text', 'mrkdwn']),
  text: z.string(),
});
export type TextObject = z.infer<typeof TextObjectSchema>;

export const OptionSchema = z.looseObject({
  text: TextObjectSchema,
  value: z.string().optional(),
  description: TextObjectSchema.optional(),
});
export type SlackOption = z.infer<typeof OptionSchema>;

export const ElementSchema = z.looseObject({
  type: z.string(),
  action_id: z.string().optional(),
  /** A string for context-block text elements, a text object for buttons. */
  text: z.union([z.string(), TextObjectSchema]).optional(),
  value: z.string().optional(),
  url: z.string().optional(),
  alt_text: z.string().optional(),
  placeholder: TextObjectSchema.optional(),
  options: z.array(OptionSchema).optional(),
  option_groups: z
    .array(z.looseObject({ label: TextObjectSchema, options: z.array(OptionSchema) }))
    .optional(),
  elements: z.array(z.unknown()).optional(),
});
export type SlackElement = z.infer<typeof ElementSchema>;

export const BlockSchema = z.looseObject({
  type: z.string(),
  block_id: z.string().optional(),
  text: TextObjectSchema.optional(),
  fields: z.array(TextObjectSchema).optional(),
  accessory: ElementSchema.optional(),
  elements: z.array(ElementSchema).optional(),
  element: ElementSchema.optional(),
  label: TextObjectSchema.optional(),
  hint: TextObjectSchema.optional(),
  optional: z.boolean().optional(),
  alt_text: z.string().optional(),
});
export type SlackBlock = z.infer<typeof BlockSchema>;

export const ViewSchema = z.looseObject({
  type: z.enum(['modal', 'home']),
  blocks: z.array(BlockSchema),
  title: TextObjectSchema.optional(),
  submit: TextObjectSchema.optional(),
  close: TextObjectSchema.optional(),
  private_metadata: z.string().optional(),
  callback_id: z.string().optional(),
  external_id: z.string().optional(),
  notify_on_close: z.boolean().optional(),
  clear_on_close: z.boolean().optional(),
});
export type SlackViewInput = z.infer<typeof ViewSchema>;

/** What an ack may carry back (view submissions: errors/update/push/clear; commands: a message). */
export const AckPayloadSchema = z.looseObject({
  response_action: z.enum(['errors', 'update', 'push', 'clear']).optional(),
  errors: z.record(z.string(), z.string()).optional(),
  view: ViewSchema.optional(),
  text: z.string().optional(),
  blocks: z.array(BlockSchema).optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
});
export type AckPayload = z.infer<typeof AckPayloadSchema>;
