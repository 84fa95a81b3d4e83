import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_EVENTS_PATH } from '../../../src/channels/slack/receiver.js';

interface Manifest {
  features: { slash_commands: { command: string; url: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
}

describe('slack/manifest.yml', () => {
  const m = parse(readFileSync(new URL('../../../slack/manifest.yml', import.meta.url), 'utf8')) as Manifest;

  it('sends commands, interactivity and events to the one request URL the receiver serves', () => {
    const urls = [...m.features.slash_commands.map((c) => c.url), m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url];
    expect(urls.map((u) => new URL(u).pathname)).toEqual([SLACK_EVENTS_PATH, SLACK_EVENTS_PATH, SLACK_EVENTS_PATH]);
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/omnipay']);
    expect(m.settings.interactivity.is_enabled).toBe(true);
  });

  it('asks for the scopes and events the desk uses: posting, the command, thread replies, agents\' names, CSV uploads', () => {
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['chat:write', 'commands', 'channels:history', 'groups:history', 'users:read', 'files:write']));
    expect(m.settings.event_subscriptions.bot_events).toEqual(['message.channels', 'message.groups']);
  });
});
