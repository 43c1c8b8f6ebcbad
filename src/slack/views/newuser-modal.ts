/**
 * /newuser modals: the vendor picker and each vendor's form, built from the provisioner's
 * vendor-neutral FormField list; and the inverse, reading a submitted view's state back into
 * FormValues (parsed with zod: it is bytes from Slack).
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { VendorId } from '../../domain/request.ts';
import { BULK_FIELD } from '../../flows/bulk-csv.ts';
import type { FormField, FormValues } from '../../vendors/provisioner.ts';
import type { View } from '../slack-gateway.ts';
import { clip, LIMITS, section } from './blocks.ts';
import { ACTION, CALLBACK, FIELD_ACTION } from './ids.ts';
import { esc } from './mrkdwn.ts';

const plain = (text: string, max: number = LIMITS.optionText) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
});

export interface VendorChoice {
  id: VendorId;
  displayName: string;
}

export const newUserMetadataSchema = z.object({
  vendor: z.string(),
  channel: z.string().optional(),
  bulk: z.boolean().optional(),
});
export type NewUserMetadata = z.infer<typeof newUserMetadataSchema>;

export function renderVendorPicker(vendors: readonly VendorChoice[], channel: string): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.picker,
    title: plain('New account', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify({ vendor: '', channel }),
    blocks: [
      section(
        'Where should the new account be created? An approver will review the request before anything is sent.',
      ),
      {
        type: 'actions',
        elements: vendors.map((v) => ({
          type: 'button' as const,
          text: plain(v.displayName),
          action_id: `${ACTION.pickVendor}_${v.id}`,
          value: v.id,
        })),
      },
    ],
  };
}

const toOption = (o: { value: string; label: string }) => ({
  text: plain(o.label),
  value: clip(o.value, LIMITS.optionValue),
});

function element(field: FormField): types.InputBlockElement {
  switch (field.kind) {
    case 'email':
      return { type: 'email_text_input', action_id: FIELD_ACTION };
    case 'select':
    case 'multiselect': {
      const options = field.options.slice(0, LIMITS.options).map(toOption);
      if (options.length === 0) return { type: 'plain_text_input', action_id: FIELD_ACTION };
      const initial = options.filter((o) => [field.initial ?? []].flat().includes(o.value));
      if (field.kind === 'select') {
        return {
          type: 'static_select',
          action_id: FIELD_ACTION,
          options,
          ...(initial[0] ? { initial_option: initial[0] } : {}),
        };
      }
      return {
        type: 'multi_static_select',
        action_id: FIELD_ACTION,
        options,
        ...(initial.length ? { initial_options: initial } : {}),
      };
    }
    case 'checkboxes':
      return {
        type: 'checkboxes',
        action_id: FIELD_ACTION,
        options: field.options.slice(0, 10).map(toOption),
      };
    default:
      return {
        type: 'plain_text_input',
        action_id: FIELD_ACTION,
        multiline: field.multiline ?? false,
        max_length: field.maxLength ?? LIMITS.plainInput,
        ...(field.placeholder ? { placeholder: plain(field.placeholder, 150) } : {}),
      };
  }
}

export function renderNewUserModal(
  vendor: VendorChoice,
  fields: readonly FormField[],
  meta: NewUserMetadata,
): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.newUser,
    title: plain(`New ${vendor.displayName} user`, LIMITS.modalTitle),
    submit: plain('Request', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify(meta),
    blocks: fields.slice(0, LIMITS.modalBlocks).map((f) => ({
      type: 'input' as const,
      block_id: f.id,
      label: plain(f.label, 2000),
      optional: f.kind === 'checkboxes' ? true : (f.optional ?? false),
      element: element(f),
      ...(f.hint ? { hint: plain(f.hint, 2000) } : {}),
    })),
  };
}

const optionSchema = z.object({ value: z.string() });
const stateValueSchema = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: optionSchema.nullish(),
  selected_options: z.array(optionSchema).nullish(),
});
export const viewStateSchema = z.record(z.string(), z.record(z.string(), stateValueSchema));

/** Submitted view state → FormValues keyed by field id. */
export function readFormValues(fields: readonly FormField[], state: unknown): FormValues {
  const parsed = viewStateSchema.parse(state);
  const values: FormValues = {};
  for (const f of fields) {
    const v = parsed[f.id]?.[FIELD_ACTION];
    if (!v) continue;
    if (v.selected_options) values[f.id] = v.selected_options.map((o) => o.value);
    else if (v.selected_option !== undefined) values[f.id] = v.selected_option?.value ?? null;
    else values[f.id] = v.value?.trim() || null;
  }
  return values;
}

/** Many users at once: a CSV whose header names the form's fields (validated row by row on submit). */
export function renderBulkModal(vendor: VendorChoice, header: string, meta: NewUserMetadata): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.newUser,
    title: plain(`Bulk ${vendor.displayName}`, LIMITS.modalTitle),
    submit: plain('Request', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify({ ...meta, bulk: true }),
    blocks: [
      section(
        `Paste one user per line, with this header line first:\n\`${esc(clip(header, 2500))}\`\nSeparate several roles or access flags in one cell with \`;\`. Every row is checked before anything is sent; one approval covers the whole batch.`,
      ),
      {
        type: 'input',
        block_id: BULK_FIELD,
        label: plain('Users (CSV)', 2000),
        element: {
          type: 'plain_text_input',
          action_id: FIELD_ACTION,
          multiline: true,
          max_length: LIMITS.plainInput,
        },
      },
    ],
  };
}
