import { AuthorizationError, SocketModeReceiver, type App, type Logger as BoltLogger, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';

/** What @slack/socket-mode emits for one envelope. */
interface SocketEnvelope {
  type: string;
  body: Record<string, unknown>;
  ack: (response?: Record<string, unknown>) => Promise<void>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * Bolt's `SocketModeReceiver`, except that an `events_api` envelope is acknowledged only when its
 * listeners are done, as {@link SlackHttpReceiver} answers an Events API request: Bolt acks events
 * before running them, and an envelope acknowledged then is one Slack never sends again, even if a
 * crash or an error loses the relay. Unacknowledged, Slack delivers it again. Commands and
 * interactions are acknowledged when their listener calls `ack()`, as with Bolt's own.
 */
export function socketModeReceiver(o: { appToken: string; logger: BoltLogger; clientOptions: Record<string, unknown>; log: Logger }): SocketModeReceiver {
  const receiver = new SocketModeReceiver({ appToken: o.appToken, logger: o.logger, installerOptions: { clientOptions: o.clientOptions } });
  let app: App | undefined;
  const init = receiver.init.bind(receiver);
  receiver.init = (a: App) => {
    app = a;
    init(a);
  };
  receiver.client.removeAllListeners('slack_event');
  receiver.client.on('slack_event', async (envelope: SocketEnvelope) => {
    const afterListeners = envelope.type === 'events_api';
    let sent = false;
    let held: { response: Record<string, unknown> | undefined } | undefined;
    const send = async (response?: Record<string, unknown>) => {
      if (sent) return;
      sent = true;
      await envelope.ack(response);
    };
    const event: ReceiverEvent = {
      body: envelope.body,
      ack: async (response?: unknown) => {
        const r = response as Record<string, unknown> | undefined;
        if (afterListeners) held = { response: r };
        else await send(r);
      },
      ...(envelope.retry_num !== undefined ? { retryNum: envelope.retry_num } : {}),
      ...(envelope.retry_reason !== undefined ? { retryReason: envelope.retry_reason } : {}),
      customProperties: {},
    };
    try {
      await app?.processEvent(event);
      if (held) await send(held.response);
    } catch (err) {
      if (err instanceof AuthorizationError) {
        await send();
        return;
      }
      o.log.error({ type: envelope.type, err: (err as Error).message }, afterListeners ? 'slack event listener failed; not acknowledged, so that Slack delivers it again' : 'slack listener failed');
    }
  });
  return receiver;
}
