/**
 * /newuser modals: the vendor picker and each vendor's form, built from the provisioner's
 * vendor-neutral FormField list; and the inverse, reading a submitted view's state back into
 * FormValues (parsed with zod: it is bytes from Slack).
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { VendorId } from '../../domain/request.ts';
import { MAX_FILE_ROWS } from '../../flows/bulk-check.ts';
import { BULK_FIELD } from '../../flows/bulk-csv.ts';
import type { FormField, FormValues } from '../../vendors/provisioner.ts';
import type { View } from '../slack-gateway.ts';
import { clip, LIMITS, section } from './blocks.ts';
import { ACTION, BLOCK, CALLBACK, FIELD_ACTION } from './ids.ts';
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
  /** Set when the modal edits this pending request instead of creating one. */
  edit: z.string().optional(),
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

/** A typed value to open the field with: a text, or the chosen option values. */
type Initial = FormValues[string];
const one = (v: Initial) => (typeof v === 'string' && v ? v : undefined);

function element(field: FormField, value: Initial): types.InputBlockElement {
  const text = one(value);
  switch (field.kind) {
    case 'email':
      return { type: 'email_text_input', action_id: FIELD_ACTION, ...(text ? { initial_value: text } : {}) };
    case 'date':
      return {
        type: 'datepicker',
        action_id: FIELD_ACTION,
        ...(text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? { initial_date: text } : {}),
      };
    case 'number':
      return {
        type: 'number_input',
        action_id: FIELD_ACTION,
        is_decimal_allowed: false,
        ...(field.min !== undefined ? { min_value: String(field.min) } : {}),
        ...(field.max !== undefined ? { max_value: String(field.max) } : {}),
        ...(text && /^-?\d+$/.test(text) ? { initial_value: text } : {}),
      };
    case 'select':
    case 'multiselect': {
      const options = field.options.slice(0, LIMITS.options).map(toOption);
      if (options.length === 0)
        return {
          type: 'plain_text_input',
          action_id: FIELD_ACTION,
          ...(text ? { initial_value: text } : {}),
        };
      const chosen = value === undefined ? [field.initial ?? []].flat() : [value ?? []].flat();
      const initial = options.filter((o) => chosen.includes(o.value));
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
    case 'checkboxes': {
      const options = field.options.slice(0, 10).map(toOption);
      const initial = options.filter((o) => [value ?? []].flat().includes(o.value));
      return {
        type: 'checkboxes',
        action_id: FIELD_ACTION,
        options,
        ...(initial.length ? { initial_options: initial } : {}),
      };
    }
    default: {
      const max = field.maxLength ?? LIMITS.plainInput;
      // A secret is never echoed back into a form, not even to the person who typed it.
      const initial = field.secret || !text || text.length > max ? undefined : text;
      return {
        type: 'plain_text_input',
        action_id: FIELD_ACTION,
        multiline: field.multiline ?? false,
        max_length: max,
        ...(field.placeholder ? { placeholder: plain(field.placeholder, 150) } : {}),
        ...(initial ? { initial_value: initial } : {}),
      };
    }
  }
}

const SECRET_AGAIN = 'Type it again: what you typed before is held sealed and never shown.';

/** One input block per field, filled in from `values` when given (also the bulk preview's justification). */
export const inputBlocks = (fields: readonly FormField[], values: FormValues | undefined) =>
  fields.slice(0, LIMITS.modalBlocks).map((f) => {
    const hint =
      values && f.kind === 'text' && f.secret ? [f.hint, SECRET_AGAIN].filter(Boolean).join(' ') : f.hint;
    return {
      type: 'input' as const,
      block_id: f.id,
      label: plain(f.label, 2000),
      optional: f.kind === 'checkboxes' ? true : (f.optional ?? false),
      element: element(f, values?.[f.id]),
      ...(hint ? { hint: plain(hint, 2000) } : {}),
    };
  });

/** A vendor's form; with `values` (and `meta.edit`) it edits a pending request, filled in as stored. */
export function renderNewUserModal(
  vendor: VendorChoice,
  fields: readonly FormField[],
  meta: NewUserMetadata,
  values?: FormValues,
): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.newUser,
    title: plain(
      meta.edit ? `Edit ${vendor.displayName} request` : `New ${vendor.displayName} user`,
      LIMITS.modalTitle,
    ),
    submit: plain(meta.edit ? 'Save' : 'Request', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify(meta),
    blocks: [
      ...(meta.edit
        ? [
            section(
              'Saving sends the changed request back to the approvers: approvals given so far are reset.',
            ),
          ]
        : []),
      ...inputBlocks(fields, values),
    ],
  };
}

const optionSchema = z.object({ value: z.string() });
const stateValueSchema = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
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
    else if (v.selected_date !== undefined) values[f.id] = v.selected_date ?? null;
    else values[f.id] = v.value?.trim() || null;
  }
  return values;
}

/**
 * Many users at once: a CSV file (file_input; up to MAX_FILE_ROWS rows, previewed before anything is
 * stored) or, for a few users, CSV pasted in the box. The header names the form's fields.
 */
export function renderBulkModal(
  vendor: VendorChoice,
  header: string,
  meta: NewUserMetadata,
  /** Asked besides the CSV (the justification). */
  extra: readonly FormField[] = [],
  maxFileRows = MAX_FILE_ROWS,
): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.newUser,
    title: plain(`Bulk ${vendor.displayName}`, LIMITS.modalTitle),
    submit: plain('Check', LIMITS.modalTitle),
    close: plain('Cancel', LIMITS.modalTitle),
    private_metadata: JSON.stringify({ ...meta, bulk: true }),
    blocks: [
      section(
        `Upload a CSV file with one user per row (up to ${maxFileRows.toLocaleString('en-US')}), or paste a few rows below, with this header line first:\n\`${esc(clip(header, 2500))}\`\nSeparate several roles or access flags in one cell with \`;\`. \`/newuser ${esc(vendor.id)} template\` sends you a template with the rules of each column. Every row is checked and shown to you before anything is stored; one approval covers the whole batch.`,
      ),
      {
        type: 'input',
        block_id: BLOCK.bulkFile,
        label: plain('CSV file', 2000),
        optional: true,
        element: { type: 'file_input', action_id: FIELD_ACTION, filetypes: ['csv', 'txt'], max_files: 1 },
      },
      {
        type: 'input',
        block_id: BULK_FIELD,
        label: plain('Or paste users (CSV)', 2000),
        optional: true,
        element: {
          type: 'plain_text_input',
          action_id: FIELD_ACTION,
          multiline: true,
          max_length: LIMITS.plainInput,
        },
      },
      ...inputBlocks(extra, undefined),
    ],
  };
}

const fileStateSchema = z.object({
  [BLOCK.bulkFile]: z.object({
    [FIELD_ACTION]: z.object({
      files: z.array(z.object({ id: z.string(), name: z.string().optional() })).nullish(),
    }),
  }),
});

/** The id of the file chosen in the bulk modal's file_input, if any. */
export function readBulkFileId(state: unknown): string | null {
  const parsed = fileStateSchema.safeParse(state);
  return parsed.success ? (parsed.data[BLOCK.bulkFile][FIELD_ACTION].files?.[0]?.id ?? null) : null;
}
