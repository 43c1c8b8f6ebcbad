/** Registers every listener on the Bolt app (starter-template layout). */
import type { App, RespondFn } from '@slack/bolt';
import { ACTION, CALLBACK } from '../views/ids.ts';
import {
  onApproveClick,
  onCancelClick,
  onDenyClick,
  onEditClick,
  onHomeNewRequestClick,
  onPickVendorClick,
  onRetryClick,
  onRevealClick,
  onViewPayloadClick,
} from './actions.ts';
import { onBulkFileRequestClick, onBulkPreviewSubmit, onFileShared } from './bulk-files.ts';
import { onLookupCommand, onNewUserCommand } from './commands.ts';
import type { ListenerDeps } from './context.ts';
import { onAppHomeOpened } from './events.ts';
import { onExplainClick } from './explain.ts';
import { tellFailure } from './failure-notice.ts';
import { tolerateLostAck } from './tolerate-lost-ack.ts';
import { onDenyReasonSubmit, onNewUserSubmit } from './views.ts';

type AckedArgs = {
  ack: (...response: never[]) => Promise<void>;
  context?: Record<string, unknown>;
  body: unknown;
  respond?: RespondFn;
};

export const COMMANDS = ['/newuser', '/lookup'] as const;
export const EVENTS = ['app_home_opened', 'message.im'] as const;

export function registerListeners(app: App, deps: ListenerDeps): void {
  const acked = tolerateLostAck(deps.log, (args: AckedArgs) => tellFailure(deps, args));
  app.command('/newuser', acked(onNewUserCommand(deps)));
  app.command('/lookup', acked(onLookupCommand(deps)));
  app.action(new RegExp(`^${ACTION.pickVendor}_`), acked(onPickVendorClick(deps)));
  app.action(ACTION.approve, acked(onApproveClick(deps)));
  app.action(ACTION.deny, acked(onDenyClick(deps)));
  app.action(ACTION.cancel, acked(onCancelClick(deps)));
  app.action(ACTION.retry, acked(onRetryClick(deps)));
  app.action(ACTION.edit, acked(onEditClick(deps)));
  app.action(ACTION.explain, acked(onExplainClick(deps)));
  app.action(ACTION.revealToken, acked(onRevealClick(deps)));
  app.action(ACTION.openNewUser, acked(onHomeNewRequestClick(deps)));
  app.action(ACTION.viewPayload, acked(onViewPayloadClick(deps)));
  app.action(ACTION.payloadPage, acked(onViewPayloadClick(deps)));
  app.view(CALLBACK.newUser, acked(onNewUserSubmit(deps)));
  app.view(CALLBACK.denyReason, acked(onDenyReasonSubmit(deps)));
  app.view(CALLBACK.bulkPreview, acked(onBulkPreviewSubmit(deps)));
  app.action(ACTION.bulkFileRequest, acked(onBulkFileRequestClick(deps)));
  app.event('app_home_opened', onAppHomeOpened(deps));
  app.event('message', onFileShared(deps));
}
