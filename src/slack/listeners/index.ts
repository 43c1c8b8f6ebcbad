/** Registers every listener on the Bolt app (starter-template layout). */
import type { App } from '@slack/bolt';
import { ACTION, CALLBACK } from '../views/ids.ts';
import {
  onApproveClick,
  onCancelClick,
  onDenyClick,
  onHomeNewRequestClick,
  onPickVendorClick,
  onRetryClick,
  onRevealClick,
} from './actions.ts';
import { onLookupCommand, onNewUserCommand } from './commands.ts';
import type { ListenerDeps } from './context.ts';
import { onAppHomeOpened } from './events.ts';
import { onDenyReasonSubmit, onNewUserSubmit } from './views.ts';

export const COMMANDS = ['/newuser', '/lookup'] as const;
export const EVENTS = ['app_home_opened'] as const;

export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command('/newuser', onNewUserCommand(deps));
  app.command('/lookup', onLookupCommand(deps));
  app.action(new RegExp(`^${ACTION.pickVendor}_`), onPickVendorClick(deps));
  app.action(ACTION.approve, onApproveClick(deps));
  app.action(ACTION.deny, onDenyClick(deps));
  app.action(ACTION.cancel, onCancelClick(deps));
  app.action(ACTION.retry, onRetryClick(deps));
  app.action(ACTION.revealToken, onRevealClick(deps));
  app.action(ACTION.openNewUser, onHomeNewRequestClick(deps));
  app.view(CALLBACK.newUser, onNewUserSubmit(deps));
  app.view(CALLBACK.denyReason, onDenyReasonSubmit(deps));
  app.event('app_home_opened', onAppHomeOpened(deps));
}
