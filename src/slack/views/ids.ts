/** Every action_id, callback_id and block_id the bot's surfaces use, in one place. */
export const ACTION = {
  pickVendor: 'newuser_pick_vendor',
  approve: 'request_approve',
  deny: 'request_deny',
  cancel: 'request_cancel',
  retry: 'request_retry',
  edit: 'request_edit',
  explain: 'request_explain',
  revealToken: 'token_reveal',
  openNewUser: 'home_new_request',
  viewPayload: 'payload_view',
  payloadPage: 'payload_page',
  bulkFileRequest: 'bulk_file_request',
} as const;

export const CALLBACK = {
  picker: 'newuser_picker',
  newUser: 'newuser_submit',
  denyReason: 'deny_reason_submit',
  token: 'token_view',
  payload: 'payload_view',
  bulkPreview: 'bulk_preview',
} as const;

export const BLOCK = {
  denyReason: 'deny_reason',
  cardActions: 'card_actions',
  payloadActions: 'payload_actions',
  bulkFile: 'bulk_file',
  bulkDrop: 'bulk_drop',
  bulkPreviewActions: 'bulk_preview_actions',
} as const;

/** The action_id of the single input element inside each form block (block_id = field id). */
export const FIELD_ACTION = 'value';
