import type { App } from '../../src/app/app.js';
import { MailSink, type SinkMail } from '../../src/testkit/mail-sink.js';

const sinks = new WeakMap<App, MailSink>();

/**
 * The e-mails an app has sent, as its console sender handed them out (the app must have no
 * SMTP_URL): queued mail is sent first. Outbox rows hold no secrets, so codes are read here.
 */
export async function delivered(app: App): Promise<SinkMail[]> {
  let sink = sinks.get(app);
  if (!sink) {
    sink = await MailSink.open('console');
    sink.attach(app);
    sinks.set(app, sink);
  }
  return sink.deliver(app);
}
