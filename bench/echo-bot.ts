/**
 * The baseline of the turns benchmark: a bare grammY bot in webhook mode that answers every message
 * with its text and every button press with a message, against the same fake Bot API. Run as a
 * child process by bench/turns.ts: `tsx bench/echo-bot.ts` with BOT_TOKEN, API_ROOT, PORT, SECRET.
 */
import { createServer } from 'node:http';
import { Bot, webhookCallback } from 'grammy';

const bot = new Bot(process.env.BOT_TOKEN!, { client: { apiRoot: process.env.API_ROOT! } });
bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));
bot.on('callback_query:data', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.callbackQuery.data);
});
await bot.init();
const handle = webhookCallback(bot, 'http', { secretToken: process.env.SECRET! });
const server = createServer((req, res) => void handle(req, res));
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('echo bot listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
