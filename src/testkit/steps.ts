import { runCli } from '../cli/program.js';
import '../cli/operator.js';
import { splitArgs } from './args.js';
import { describeMessage } from './drivers/driver.js';
import { fail, type ScriptContext } from './context.js';
import type { Step } from './format.js';
import { captureFrom, matchText } from './match.js';
import { confirmPayment } from './payments.js';
import { interpolateDeep, jsonPath } from './vars.js';
import { slackAction, slackExpect } from './slack/steps.js';

/** Runs one step of a script. */
export async function runStep(c: ScriptContext, step: Step): Promise<void> {
  const inSlack = step.kind === 'slack' || step.kind === 'slack-expect';
  // On a Slack step, `as` names the agent; elsewhere, the person in the chat.
  if (step.as !== undefined && inSlack) {
    const who = c.t(step.as);
    c.slack!.idOf(who);
    c.slack!.current = who;
  } else if (step.as !== undefined && step.kind !== 'join') await c.switchTo(step.as);
  switch (step.kind) {
    case 'join':
      return c.switchTo(step.who);
    case 'send':
      c.current.inbox.length = 0;
      return c.current.send(c.t(step.text));
    case 'media':
      c.current.inbox.length = 0;
      c.transcript.push(`${c.current.name} > [${step.media}${step.caption !== undefined ? `: ${c.t(step.caption)}` : ''}]`);
      return c.current.sendMedia(step.media, step.caption !== undefined ? c.t(step.caption) : undefined);
    case 'press':
      c.current.inbox.length = 0;
      try {
        return await c.current.press(c.t(step.label));
      } catch (err) {
        const labels = c.current.offered().flat();
        return fail((err as Error).message, `a button ${JSON.stringify(c.t(step.label))}`, labels.length ? `buttons ${JSON.stringify(labels)}` : 'no buttons on offer');
      }
    case 'expect': {
      const m = await c.next('a message');
      if (m.kind !== 'text') fail(`expected a text message, got ${m.kind === 'image' ? 'an image' : 'a file'}`, 'text', describeMessage(m));
      return c.checkText(m, step.expect);
    }
    case 'image': {
      const m = await c.next('an image');
      if (m.kind !== 'image') fail('expected an image', 'an image', describeMessage(m));
      return c.checkText(m, step.expect);
    }
    case 'file': {
      const m = await c.next('a file');
      if (m.kind !== 'file' || !m.file) return fail('expected a file', 'a file', describeMessage(m));
      if (step.name !== undefined && !globMatch(c.t(step.name), m.file.name)) fail('the file name differs', c.t(step.name), m.file.name);
      if (step.contains !== undefined) {
        const body = m.file.content.toString('utf8');
        const want = c.t(step.contains);
        if (!body.includes(want)) fail(`the file does not contain ${JSON.stringify(want)}`, `contains ${JSON.stringify(want)}`, JSON.stringify(body.slice(0, 400)));
      }
      return c.checkText(m, step.expect);
    }
    case 'buttons': {
      await c.driver.settle();
      const offered = c.current.offered().flat();
      const want = step.labels.map((l) => c.t(l));
      if (step.exact ? JSON.stringify(offered) !== JSON.stringify(want) : want.some((w) => !offered.includes(w))) {
        fail(`the buttons on offer differ`, `${step.exact ? 'exactly' : 'including'} ${JSON.stringify(want)}`, JSON.stringify(offered));
      }
      return;
    }
    case 'deleted':
      await c.driver.settle();
      if (!c.current.lastInputDeleted()) fail('the last message was not deleted', 'the message removed from the chat', 'still in the chat');
      return;
    case 'no-reply': {
      await c.deliverNotices();
      const left = c.current.inbox.splice(0);
      if (left.length) fail('the bot said more than expected', 'no more replies', left.map(describeMessage).join(' / '));
      return;
    }
    case 'email':
      return operatorEmail(c, step.expect);
    case 'no-email': {
      const to = step.to !== undefined ? c.t(step.to) : undefined;
      const unseen = (await c.mails()).filter((m) => !c.mailSeen.has(m.id) && (!to || m.to.toLowerCase() === to.toLowerCase()));
      if (unseen.length) fail('an e-mail was sent', 'no e-mail', unseen.map((m) => `${m.to}: ${m.subject}`).join(' / '));
      return;
    }
    case 'advance':
      c.world.clock.advance(step.ms);
      c.transcript.push(`(clock advanced ${step.text})`);
      return;
    case 'restart':
      await c.driver.detach();
      await c.slack?.detach();
      await c.world.restart();
      await c.driver.attach(c.app);
      await c.slack?.attach(c.app);
      c.transcript.push('(restarted)');
      return;
    case 'cli':
      return operatorCli(c, step);
    case 'confirm-payment': {
      const ref = c.t(step.reference);
      c.current.inbox.length = 0;
      try {
        await confirmPayment(c.app, ref, step.outcome);
      } catch (err) {
        fail(`confirm-payment ${ref}: ${(err as Error).message}`);
      }
      c.transcript.push(`(payment ${ref} ${step.outcome})`);
      return c.deliverNotices();
    }
    case 'set':
      for (const [k, v] of Object.entries(step.vars)) c.vars.set(k, c.t(v));
      return;
    case 'logs-exclude':
      for (const v of step.values.map((x) => c.t(x))) {
        const line = c.world.logs.lines.find((l) => l.includes(v));
        if (line) fail('a secret reached the logs', `no log line containing the value of ${JSON.stringify(step.values.find((x) => c.t(x) === v))}`, '(a log line contains it; not shown)');
      }
      return;
    case 'slack':
      // Like the person acting, an agent acting leaves the chat's unchecked replies behind.
      c.current.inbox.length = 0;
      return slackAction(c as Parameters<typeof slackAction>[0], step.action);
    case 'slack-expect':
      return slackExpect(c as Parameters<typeof slackExpect>[0], step.expect);
  }
}

/** `email:` — the next unread e-mail (to that address, with that subject) is checked and captured from. */
export async function operatorEmail(c: ScriptContext, e0: Step & { kind: 'email' } extends { expect: infer E } ? E : never): Promise<void> {
  const e = interpolateDeep({ to: e0.to, subject: e0.subject, body: e0.body }, c.vars);
  const all = await c.mails();
  const unseen = all.filter((m) => !c.mailSeen.has(m.id));
  const candidates = e.to ? unseen.filter((m) => m.to.toLowerCase() === e.to!.toLowerCase()) : unseen;
  const summary = unseen.map((m) => `${m.to}: ${m.subject}`).join(' / ') || '(no unread e-mail)';
  // With a subject, the first unread e-mail with that subject (others stay unread); else the next one.
  const mail = e.subject !== undefined ? (candidates.find((m) => m.subject.includes(e.subject!)) ?? candidates[0]) : candidates[0];
  if (!mail) return fail(`no e-mail${e.to ? ` to ${e.to}` : ''}`, `an e-mail${e.to ? ` to ${e.to}` : ''}`, summary);
  c.mailSeen.add(mail.id);
  c.transcript.push(`mail → ${mail.to}: ${mail.subject}`);
  if (e.subject !== undefined && !mail.subject.includes(e.subject)) fail('the e-mail subject differs', `subject containing ${JSON.stringify(e.subject)}`, JSON.stringify(mail.subject));
  for (const b of e.body === undefined ? [] : Array.isArray(e.body) ? e.body : [e.body]) {
    if (!mail.text.includes(b)) fail(`the e-mail body does not contain ${JSON.stringify(b)}`, `body containing ${JSON.stringify(b)}`, JSON.stringify(mail.text.slice(0, 600)));
  }
  const cap = captureFrom([mail.text, mail.subject], e0.capture);
  if (cap.missing) fail(`could not capture \${${cap.missing.name}} from the e-mail`, `/${cap.missing.pattern}/`, JSON.stringify(mail.text.slice(0, 600)));
  c.capture(cap.values);
}

/** `cli:` — an operator command run in-process on the script's app. */
export async function operatorCli(c: ScriptContext, step: Step & { kind: 'cli' }): Promise<void> {
  const command = c.t(step.command);
  // Like the person acting, the operator acting leaves unchecked replies behind.
  c.current.inbox.length = 0;
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(splitArgs(command), { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, app: async () => c.app });
  // The operator's output may hold secrets (a PIN mailer): the transcript shows the command only.
  c.transcript.push(`operator $ omnipay ${command}  → exit ${code}`);
  if (code !== step.exit) fail(`the command exited with ${code}`, `exit ${step.exit}`, `exit ${code}: ${err.join(' ') || out.join(' ').slice(0, 300)}`);
  const text = out.join('\n');
  if (step.expect) {
    const mm = matchText({ kind: 'text', text: `${text}\n${err.join('\n')}`.trim(), buttons: [] }, interpolateDeep(step.expect, c.vars), { catalogue: c.app.catalogue, lang: 'en' });
    if (mm) fail(mm);
  }
  const json = parseJson(text);
  for (const [name, path] of Object.entries(step.capture)) {
    const v = json !== undefined ? jsonPath(json, path) : captureFrom([text], { [name]: path }).values[name];
    if (v === undefined) fail(`could not capture \${${name}} from the command's output`, json !== undefined ? `a value at ${path}` : `/${path}/`, json !== undefined ? `keys ${Object.keys(json as object).join(', ')}` : '(output not shown)');
    c.vars.set(name, v!);
  }
  await c.deliverNotices();
}

/** The JSON a command printed: the whole output, or its last line. */
function parseJson(text: string): unknown {
  for (const candidate of [text, text.trim().split('\n').at(-1) ?? '']) {
    try {
      return JSON.parse(candidate);
    } catch {
      // not JSON
    }
  }
  return undefined;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}
