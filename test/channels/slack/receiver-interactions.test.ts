import type { BlockButtonAction, ButtonAction, types, ViewOutput } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBlocks } from '../../../src/testkit/slack/blocks.js';
import { startDesk, type Desk } from './harness.js';

const refundModal: types.ModalView = {
  type: 'modal',
  callback_id: 'refund',
  private_metadata: '{"card":"4242"}',
  title: { type: 'plain_text', text: 'Refund' },
  submit: { type: 'plain_text', text: 'Ask for approval' },
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: 'Card ending *4242*' } },
    { type: 'input', block_id: 'amount', label: { type: 'plain_text', text: 'Amount' }, element: { type: 'plain_text_input', action_id: 'amount_input' } },
  ],
};

describe('Slack receiver: interactions through Bolt over our HttpServer', () => {
  let desk: Desk;
  beforeEach(async () => {
    desk = await startDesk();
  });
  afterEach(async () => {
    await desk.close();
  });

  it('a button press reaches app.action with its value, user and message, and views.open with its trigger_id lands in the fake', async () => {
    const pressed: { action: ButtonAction; body: BlockButtonAction }[] = [];
    desk.app.action<BlockButtonAction>('refund', async ({ ack, action, body, client }) => {
      await ack();
      pressed.push({ action, body });
      await client.views.open({ trigger_id: body.trigger_id, view: refundModal });
    });
    const res = await desk.slack.blockAction({ actionId: 'refund', value: 'tx-77', blockId: 'tx', userId: 'U0SUP2', triggerId: 'TR-press-1', message: { ts: '1700000000.000100', text: 'lookup' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await desk.fake.waitForCall('views.open');
    expect(pressed).toHaveLength(1);
    expect(pressed[0]?.action).toMatchObject({ action_id: 'refund', value: 'tx-77', block_id: 'tx' });
    expect(pressed[0]?.body).toMatchObject({ user: { id: 'U0SUP2' }, container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SUPPORT' } });
    const [view] = desk.fake.state.views;
    expect(view?.triggerId).toBe('TR-press-1');
    const read = readBlocks(view?.view);
    expect(read.title).toBe('Refund');
    expect(read.texts).toEqual(['Card ending *4242*']);
    expect(read.inputs).toEqual([{ label: 'Amount', blockId: 'amount', actionId: 'amount_input', type: 'plain_text_input', optional: false }]);
  });

  it('a view submission with a bad field is answered with response_action "errors" naming the block', async () => {
    const got: ViewOutput[] = [];
    desk.app.view('refund', async ({ ack, view }) => {
      got.push(view);
      const amount = view.state.values.amount?.amount_input?.value ?? '';
      if (!/^\d+$/.test(amount)) await ack({ response_action: 'errors', errors: { amount: 'Enter a whole amount, e.g. 1000' } });
      else await ack();
    });
    const res = await desk.slack.viewSubmission({ callbackId: 'refund', privateMetadata: '{"card":"4242"}', values: { amount: { amount_input: 'ten' } } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_action: 'errors', errors: { amount: 'Enter a whole amount, e.g. 1000' } });
    expect(got[0]).toMatchObject({ callback_id: 'refund', private_metadata: '{"card":"4242"}' });
  });

  it('a valid view submission acked without a body is answered 200 with an empty body (Slack closes the modal)', async () => {
    desk.app.view('refund', async ({ ack }) => ack());
    const res = await desk.slack.viewSubmission({ callbackId: 'refund', values: { amount: { amount_input: '1000' } } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('a view submission acked with response_action "update" returns the new view in the HTTP body', async () => {
    desk.app.view('refund', async ({ ack }) => ack({ response_action: 'update', view: { type: 'modal', title: { type: 'plain_text', text: 'Sent' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Waiting for approval' } }] } }));
    const res = await desk.slack.viewSubmission({ callbackId: 'refund' });
    const body = res.json() as { response_action: string; view: unknown };
    expect(body.response_action).toBe('update');
    expect(readBlocks(body.view)).toMatchObject({ title: 'Sent', texts: ['Waiting for approval'] });
  });
});
