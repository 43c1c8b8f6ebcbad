/** /newuser and /lookup. Ack first; the modal opens at once (trigger_id lives 3 s); vendor calls come after the ack. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { WebAPIPlatformError } from '@slack/web-api';
import { lookupGroupsToCheck } from '../../domain/lookup-policy.ts';
import { isVendorId } from '../../domain/request.ts';
import { NotAllowedError, ValidationError, VendorError } from '../../errors.ts';
import { bulkHeader } from '../../flows/bulk-csv.ts';
import { formFieldsFor, justificationField } from '../../flows/justification.ts';
import { lookup, lookupVendors } from '../../flows/lookup.ts';
import { renderTemplateSentText } from '../views/file-comments.ts';
import { renderFormTooLate, renderHelp } from '../views/help.ts';
import { renderLookupError, renderLookupResult, renderLookupUsage } from '../views/lookup-result.ts';
import {
  renderBulkModal,
  renderNewUserModal,
  renderVendorPicker,
  type VendorChoice,
} from '../views/newuser-modal.ts';
import { refusalText } from '../views/refusal.ts';
import { answerAudit } from './audit-command.ts';
import { sendTemplate } from './bulk-files.ts';
import type { ListenerDeps } from './context.ts';
import { answerRequestSubcommand, isRequestSubcommand } from './explain.ts';
import { openView } from './view-calls.ts';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const vendorChoices = (deps: ListenerDeps): VendorChoice[] =>
  [...deps.vendors.entries()].map(([id, e]) => ({ id, displayName: e.provisioner.displayName }));

export function onNewUserCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond, client }: CommandArgs) => {
    await ack();
    const [arg = '', mode = '', ...rest] = command.text.trim().toLowerCase().split(/\s+/);
    if (arg === 'audit') {
      await answerAudit(deps, command.user_id, [mode, ...rest].filter(Boolean), respond);
      return;
    }
    if (isRequestSubcommand(arg)) {
      const idText = command.text.trim().split(/\s+/).slice(1).join(' ');
      await answerRequestSubcommand(deps, arg, idText, command, respond);
      return;
    }
    const choices = vendorChoices(deps);
    const chosen = choices.find((c) => c.id === arg);
    const bulkVendor = chosen && deps.vendors.get(chosen.id)?.provisioner.parseBulk ? chosen : undefined;
    const bulk = mode === 'bulk' && bulkVendor;
    if (mode === 'template' && bulkVendor) {
      await sendTemplate(deps, bulkVendor.id, command.user_id);
      await respond({ response_type: 'ephemeral', text: renderTemplateSentText(bulkVendor.displayName) });
      return;
    }
    if (arg === 'help' || (arg && !chosen) || (mode && !bulk)) {
      const bulkVendors = choices
        .filter((c) => deps.vendors.get(c.id)?.provisioner.parseBulk)
        .map((c) => c.id);
      const unknown = arg && arg !== 'help' ? command.text.trim() : undefined;
      const help = renderHelp(choices, lookupVendors(deps), bulkVendors, unknown);
      await respond({
        response_type: 'ephemeral',
        text: help.text,
        ...(help.blocks ? { blocks: help.blocks } : {}),
      });
      return;
    }
    const meta = { vendor: chosen?.id ?? '', channel: command.channel_id };
    const entry = chosen ? deps.vendors.get(chosen.id) : undefined;
    const view =
      !chosen || !entry
        ? renderVendorPicker(choices, command.channel_id)
        : bulk
          ? renderBulkModal(chosen, bulkHeader(entry.provisioner.formFields()), meta, [
              justificationField(entry),
            ])
          : renderNewUserModal(chosen, formFieldsFor(entry), meta);
    try {
      await openView(client, command.trigger_id, view);
    } catch (e) {
      if (!(e instanceof WebAPIPlatformError && e.data.error === 'expired_trigger_id')) throw e;
      deps.log.info(
        { userId: command.user_id, command: command.command },
        'form not opened: trigger_id expired',
      );
      const late = renderFormTooLate(command.command, command.text);
      await respond({
        response_type: 'ephemeral',
        text: late.text,
        ...(late.blocks ? { blocks: late.blocks } : {}),
      });
    }
  };
}

export function onLookupCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond }: CommandArgs) => {
    await ack();
    const [vendorArg = '', ...rest] = command.text.trim().split(/\s+/);
    const vendors = lookupVendors(deps);
    const vendor = vendorArg.toLowerCase();
    const query = rest.join(' ');
    if (!isVendorId(vendor) || !vendors.includes(vendor) || !query) {
      await respond({ response_type: 'ephemeral', text: renderLookupUsage(vendors).text });
      return;
    }
    const entry = deps.vendors.get(vendor)!;
    const name = entry.provisioner.displayName;
    try {
      const groups = await deps.directory.groupsOf(
        command.user_id,
        lookupGroupsToCheck(entry.lookup, entry.policy),
      );
      const result = await lookup(
        deps,
        { vendor, query, actor: { userId: command.user_id, groups } },
        deps.lookupLimiter,
      );
      const msg = renderLookupResult(name, query, result);
      await respond({
        response_type: 'ephemeral',
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks } : {}),
      });
    } catch (e) {
      if (e instanceof NotAllowedError) {
        await respond({ response_type: 'ephemeral', text: refusalText(e) ?? e.reason });
        return;
      }
      const reason =
        e instanceof VendorError
          ? `${name} lookup failed: ${e.userText}`
          : e instanceof ValidationError
            ? Object.values(e.fields).join(' ')
            : null;
      if (reason === null) throw e;
      await respond({ response_type: 'ephemeral', text: renderLookupError(reason).text });
    }
  };
}
