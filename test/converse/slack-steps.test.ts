import type { App as BoltApp } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parseScripts, ScriptFormatError } from '../../src/testkit/parse.js';
import { formatResult } from '../../src/testkit/report.js';
import { runScript } from '../../src/testkit/runner.js';

/**
 * A small desk for the steps' own tests: `/probe modal` opens a modal with an amount and a reason
 * (a select); submitting a bad amount is refused with a field error, a good one updates the modal;
 * `/probe big` answers with a header past Slack's 150-character limit; `/probe file` shares a CSV
 * into the channel the command came from.
 */
function probeDesk(bolt: BoltApp): void {
  bolt.command('/probe', async ({ ack, command, client, respond }) => {
    if (command.text === 'file') {
      await ack();
      await client.files.uploadV2({ channel_id: command.channel_id, filename: 'probe-1.csv', title: 'Probe statement', initial_comment: 'the probe file', content: 'date,amount\n12/01/2026,-250\n' });
      return;
    }
    if (command.text === 'big') {
      await ack();
      await respond({ response_type: 'ephemeral', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `probe for ${command.user_id}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `probe for ${command.user_id}` } }, { type: 'actions', elements: [{ type: 'button', action_id: 'probe.open', text: { type: 'plain_text', text: 'Open modal' }, value: 'v1' }] }] });
  });
  bolt.action('probe.open', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: (body as { trigger_id: string }).trigger_id,
      view: {
        type: 'modal', callback_id: 'probe.submit', private_metadata: 'meta-1', title: { type: 'plain_text', text: 'Refund' }, submit: { type: 'plain_text', text: 'Ask approval' },
        blocks: [
          { type: 'input', block_id: 'amount', label: { type: 'plain_text', text: 'Amount' }, element: { type: 'plain_text_input', action_id: 'value' } },
          { type: 'input', block_id: 'reason', label: { type: 'plain_text', text: 'Reason' }, element: { type: 'static_select', action_id: 'pick', options: [{ text: { type: 'plain_text', text: 'Duplicate' }, value: 'dup' }, { text: { type: 'plain_text', text: 'Fraud' }, value: 'fraud' }] } },
        ],
      },
    });
  });
  bolt.view('probe.submit', async ({ ack, view }) => {
    const v = view.state.values;
    const amount = v.amount?.value?.value ?? '';
    if (!/^\d+\.\d{2}$/.test(amount)) return ack({ response_action: 'errors', errors: { amount: 'Write the amount like 10.00' } });
    await ack({ response_action: 'update', view: { type: 'modal', title: { type: 'plain_text', text: 'Refund' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Asked approval for ${amount} (${v.reason?.pick?.selected_option?.value}, ${view.private_metadata})` } }] } });
  });
}

async function run(yaml: string) {
  const [script] = parseScripts(yaml, 'inline.yaml');
  return runScript(script!, { channel: 'inprocess', isolation: { db: 'pglite', store: 'memory' }, slackSetup: probeDesk });
}

describe('slack: steps in conversation scripts', () => {
  it('an agent runs a command, presses a button in its answer, fills and submits the modal: errors, then the updated modal', async () => {
    const r = await run(`
name: modal
steps:
  - slack: { as: kim, command: /probe }
  - slack-expect: { in: response, contains: probe for U0KIM, buttons: [Open modal] }
  - slack: { press: Open modal }
  - slack-expect: { in: modal, contains: [Refund, Amount, Reason] }
  - slack: { modal: { amount: ten, reason: Duplicate } }
  - slack-expect: { errors: { amount: Write the amount like 10.00 } }
  - slack: { modal: { Amount: "10.00", Reason: Fraud } }
  - slack-expect: { in: modal, contains: "Asked approval for 10.00 (fraud, meta-1)" }
`);
    expect(r.status, formatResult(r)).toBe('passed');
    expect(r.transcript).toContain('kim (slack) > /probe');
    expect(r.transcript).toContain('kim (slack) > [Open modal]');
  });

  it('fails, naming what is there, when the text, a button, an error or a ticket thread is not found', async () => {
    const missing = await run(`
name: missing
steps:
  - slack: { command: /probe }
  - slack-expect: { contains: something else }
`);
    expect(missing.status).toBe('failed');
    expect(missing.failure).toMatchObject({ step: 2, kind: 'slack-expect', message: 'no unread message in Slack as sam sees it containing "something else"' });
    expect(missing.failure?.actual).toContain('probe for U0SAM');

    const button = await run(`
name: button
steps:
  - slack: { command: /probe }
  - slack: { press: Approve }
`);
    expect(button.failure).toMatchObject({ step: 2, message: 'no Slack button "Approve" for sam', actual: 'buttons ["Open modal"]' });

    const others = await run(`
name: someone else's
steps:
  - slack: { as: kim, command: /probe }
  - slack-expect: { as: sam, contains: probe for }
`);
    expect(others.failure?.message).toBe('no unread message in Slack as sam sees it containing "probe for"');

    const thread = await run(`
name: no ticket
steps:
  - slack: { reply: Hello }
`);
    expect(thread.failure?.message).toBe('no ticket thread in the support channel yet');

    const none = await run(`
name: none
steps:
  - slack: { command: /probe }
  - slack-expect: { none: true, contains: probe for }
`);
    expect(none.failure?.message).toBe('a message in Slack as sam sees it should not be there');
  });

  it('in: file reads a file shared into a channel as its name, title, comment and content; a file not there fails naming the files there are', async () => {
    const ok = await run(`
name: file
steps:
  - slack-expect: { none: true, in: file }
  - slack: { command: /probe file }
  - slack-expect: { in: file, regex: '^probe-1\\.csv$', contains: [Probe statement, the probe file, "12/01/2026,-250"] }
  - slack-expect: { none: true, in: file }
`);
    expect(ok.status, formatResult(ok)).toBe('passed');
    expect(ok.transcript.join('\n')).toContain('slack file: probe-1.csv / Probe statement / the probe file / date,amount / 12/01/2026,-250');

    const wrong = await run(`
name: wrong file
steps:
  - slack: { command: /probe file }
  - slack-expect: { in: file, contains: "12/02/2026" }
`);
    expect(wrong.failure).toMatchObject({ step: 2, message: 'no unread message in Slack (file) as sam sees it containing "12/02/2026"' });
    expect(wrong.failure?.actual).toContain('[file] probe-1.csv');
  });

  it('fails a script whose Slack payloads break a Block Kit limit', async () => {
    const r = await run(`
name: big
steps:
  - slack: { command: /probe big }
`);
    expect(r.status).toBe('failed');
    expect(r.failure?.message).toBe('a Slack payload breaks Block Kit limits');
    expect(r.failure?.actual).toContain('header text');
  });

  it('refuses malformed slack steps with the line and the reason', () => {
    const bad = (steps: string, top = '') => () => parseScripts(`name: x\n${top}steps:\n${steps}\n`, 'bad.yaml');
    expect(bad('  - slack: { press: A, reply: B }')).toThrow('bad.yaml:3: step 1: slack: exactly one of command, press, modal, reply (found press and reply)');
    expect(bad('  - slack: { command: lookup }')).toThrow('slack.command: a slash command');
    expect(bad('  - slack-expect: { inside: thread }')).toThrow('slack-expect: unknown key "inside"');
    expect(bad('  - slack-expect: { in: dm }')).toThrow('slack-expect.in: one of channel, thread, ephemeral, response, modal, file, any');
    expect(bad('  - send: hi', 'agents: { sam: boss }\n')).toThrow('agents.sam: one of support, admin, nobody');
    expect(bad('  - send: hi', 'agents: { sam: boss }\n')).toThrow(ScriptFormatError);
  });

  it('an unknown agent fails the step with the agents the script has', async () => {
    const r = await run(`
name: who
steps:
  - slack: { as: zed, command: /probe }
`);
    expect(r.failure?.message).toBe(`no Slack agent "zed"; the script's agents are sam, kim, ada, eve (add one with agents:)`);
  });
});
