// app.js - the official Slack Bolt for JavaScript (@slack/bolt, pinned in
// package.json) run as a Socket Mode app against tests/fakes/fake_slack.py,
// to check that the fake speaks the protocol the SDK speaks.  Started by
// check.py:
//
//   node app.js API_URL APP_TOKEN BOT_TOKEN
//
// Everything on the wire is the SDK's own: its WebClient (pointed at the
// fake with clientOptions.slackApiUrl) calls auth.test and
// apps.connections.open, its SocketModeClient opens the URL the fake hands
// out, waits for hello, acks each envelope and reconnects on a disconnect
// message; the replies go out through the WebClient's chat.postMessage and
// a slash command's response_url.  The app's own part is the usual handler
// code of a Bolt app.  It prints one JSON line per thing it saw, for
// check.py.
'use strict';

const { App, LogLevel } = require('@slack/bolt');

const [apiUrl, appToken, botToken] = process.argv.slice(2);

function say(what, obj) {
    process.stdout.write(JSON.stringify({ what, ...obj }) + '\n');
}

const app = new App({
    token: botToken,
    appToken,
    socketMode: true,
    logLevel: process.env.BOLT_DEBUG ? LogLevel.DEBUG : LogLevel.WARN,
    clientOptions: { slackApiUrl: apiUrl },
});

// Strips the leading <@U...> mention, as a bot answering a mention does.
function question(text) {
    return (text || '').replace(/^\s*<@[A-Z0-9]+>\s*/, '');
}

app.event('app_mention', async ({ event, context, client }) => {
    say('mention', {
        channel: event.channel, ts: event.ts, text: event.text, botUserId: context.botUserId,
    });
    // A reply in the mention's thread (its own thread, or the one it is in).
    await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts || event.ts,
        text: `echo: ${question(event.text)}`,
    });
});

// Direct messages (message.im) and thread replies.  ignoreSelf (on by
// default) drops the bot's own messages that Slack echoes back.
app.message(async ({ message, say: reply }) => {
    if (message.subtype) {
        say('message-subtype', { subtype: message.subtype, channel: message.channel });
        return;
    }
    say('message', { channel: message.channel, ts: message.ts, text: message.text });
    const args = { text: `echo: ${message.text}` };
    if (message.thread_ts) args.thread_ts = message.thread_ts;
    await reply(args);
});

app.command('/values', async ({ command, ack, respond }) => {
    say('command', { text: command.text, channel: command.channel_id });
    await ack({ response_type: 'ephemeral', text: `working on: ${command.text}` });
    await respond({ response_type: 'in_channel', text: `echo: ${command.text}` });
});

app.error(async (error) => {
    say('error', { message: String(error && error.message) });
});

const sm = app.receiver.client;
for (const state of ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected']) {
    sm.on(state, () => say('state', { state }));
}

(async () => {
    await app.start();
    say('started', {});
})().catch((e) => {
    say('error', { message: String(e && e.message) });
    process.exit(1);
});

process.on('SIGTERM', async () => {
    await app.stop().catch(() => {});
    process.exit(0);
});
