/** The App Home tab, rendered on open (see home.ts). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from './context.ts';
import { publishHome } from './home.ts';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export function onAppHomeOpened(deps: ListenerDeps) {
  return async ({ event, body, client }: HomeArgs) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, client, event.user, body.team_id);
  };
}
