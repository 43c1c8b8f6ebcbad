/** /newuser status|explain <id> and the card's Explain button: an answer only the asker sees. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { RequestNotFoundError } from '../../errors.ts';
import { explain, readRequestId } from '../../flows/explain-request.ts';
import { vendorEntry } from '../../flows/vendor-entry.ts';
import type { SlackMessage } from '../slack-gateway.ts';
import { renderExplainModal, renderExplainUsage, renderExplanation } from '../views/explain.ts';
import { esc } from '../views/mrkdwn.ts';
import { refusalText } from '../views/refusal.ts';
import { actorFor, type ListenerDeps } from './context.ts';

export const REQUEST_SUBCOMMANDS = ['status', 'explain'] as const;
export type RequestSubcommand = (typeof REQUEST_SUBCOMMANDS)[number];
export const isRequestSubcommand = (word: string): word is RequestSubcommand =>
  (REQUEST_SUBCOMMANDS as readonly string[]).includes(word);

type Respond = (
  m: SlackMessage & { response_type: 'ephemeral'; replace_original?: false },
) => Promise<unknown>;

interface Ask {
  verb: RequestSubcommand;
  /** What the user typed after the verb. */
  idText: string;
  user: { id: string; team_id?: string | undefined };
  teamId: string | undefined;
}

async function answer(deps: ListenerDeps, ask: Ask, respond: Respond): Promise<void> {
  const id = readRequestId(ask.idText);
  if (!id) {
    await respond({ response_type: 'ephemeral', ...renderExplainUsage(ask.verb) });
    return;
  }
  try {
    const e = await explain(deps, id, (vendor) => actorFor(deps, ask.user, ask.teamId, vendor));
    const { provisioner } = vendorEntry(deps, e.request.vendor);
    const msg = renderExplanation({
      explanation: e,
      vendorName: provisioner.displayName,
      subject: provisioner.describe(e.request.payload).subject,
      cardLink: e.request.card ? await deps.gateway.permalink(e.request.card) : null,
      detail: ask.verb === 'explain',
    });
    deps.log.info({ requestId: id, user: ask.user.id, verb: ask.verb }, 'request explained');
    await respond({ response_type: 'ephemeral', ...msg });
  } catch (e) {
    const text =
      e instanceof RequestNotFoundError
        ? `:grey_question: I know no request with id \`${esc(id.slice(0, 80))}\`. Copy the id from the last line of its approval card.`
        : refusalText(e);
    if (text === null) throw e;
    await respond({ response_type: 'ephemeral', text, blocks: [] });
  }
}

/** `/newuser status <id>` / `/newuser explain <id>`, parsed by onNewUserCommand. */
export function answerRequestSubcommand(
  deps: ListenerDeps,
  verb: RequestSubcommand,
  idText: string,
  command: { user_id: string; team_id: string },
  respond: Respond,
): Promise<void> {
  return answer(deps, { verb, idText, user: { id: command.user_id }, teamId: command.team_id }, respond);
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * The Explain button: the full explanation, privately, to whoever clicked — under the card, or in a
 * modal when clicked on the App Home (which has no response_url).
 */
export function onExplainClick(deps: ListenerDeps) {
  return async ({ ack, action, body, respond, client }: ButtonArgs) => {
    await ack();
    const say: Respond =
      body.view?.type === 'home'
        ? (m) => client.views.open({ trigger_id: body.trigger_id, view: renderExplainModal(m) })
        : (m) => respond({ ...m, replace_original: false });
    await answer(
      deps,
      { verb: 'explain', idText: action.value ?? '', user: body.user, teamId: body.team?.id },
      say,
    );
  };
}
