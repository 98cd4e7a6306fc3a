// app.js - the alternative a trust would pick: an idiomatic Slack Bolt for
// JavaScript app (@slack/bolt, Socket Mode) doing valuesbot's job simply,
// for tests/bench/bench_slack.py --bolt to measure under the same load as
// the real binary.  It loads the knowledge base (knowledge/<org>.json),
// answers a mention or /values by a keyword match over the values and goals,
// and posts the reply in the mention's thread.
//
//   SLACK_APP_TOKEN=xapp-.. SLACK_BOT_TOKEN=xoxb-.. SLACK_API_URL=http://../api/ \
//   VALUESBOT_KB=knowledge VALUESBOT_ORG=tewv node app.js
//
// The packages are tests/fakes/bolt-check's (the same pinned @slack/bolt),
// found through NODE_PATH (build/sdk-deps/bolt-check/node_modules).
'use strict';

const fs = require('fs');
const path = require('path');
const { App, LogLevel } = require('@slack/bolt');

const org = process.env.VALUESBOT_ORG || 'tewv';
const kb = JSON.parse(fs.readFileSync(
    path.join(process.env.VALUESBOT_KB || 'knowledge', `${org}.json`), 'utf8'));

const stop = new Set(['the', 'and', 'are', 'our', 'what', 'where', 'who', 'how', 'why', 'when',
    'for', 'with', 'about', 'tell', 'does', 'this', 'that', 'you', 'your', 'can', 'will', 'have']);
const words = (s) => (s.toLowerCase().match(/[a-z0-9]+/g) || [])
    .filter((w) => w.length > 2 && !stop.has(w));

// "*Name*: behaviour, behaviour" for a value.
const valueLine = (v) => `*${v.name}*` +
    (v.behaviours.length ? ': ' + v.behaviours.map((b) => b.text).join(', ') : '');

// Each value and goal with the words it can be found by.
const entries = [
    ...kb.values.map((v) => ({
        text: valueLine(v),
        words: new Set(words([v.name, v.description, ...v.behaviours.map((b) => b.text)]
            .join(' '))),
    })),
    ...kb.goals.map((g) => ({
        text: `*Goal ${g.number}: ${g.title}*\n${g.points.map((p) => '• ' + p.text).join('\n')}`,
        words: new Set(words([g.title, g.description, ...g.points.map((p) => p.text)].join(' '))),
    })),
];
const allValues = `Our values (${kb.strategy}):\n` +
    kb.values.map((v) => '• ' + valueLine(v)).join('\n');
const allGoals = `Our ${kb.goals_label} (${kb.strategy}):\n` + kb.goals.map(
    (g) => `${g.number}. ${g.title}`).join('\n');

function answer(question) {
    const q = words(question);
    if (q.some((w) => w.startsWith('value'))) return allValues;
    if (q.some((w) => w.startsWith('goal'))) return allGoals;
    let best = null;
    let score = 0;
    for (const e of entries) {
        const s = q.filter((w) => e.words.has(w)).length;
        if (s > score) [best, score] = [e, s];
    }
    if (best) return best.text;
    return `Sorry, I couldn't find that in ${kb.strategy}. Our mission: ${kb.mission.text}`;
}

const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    appToken: process.env.SLACK_APP_TOKEN,
    socketMode: true,
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

app.event('app_mention', async ({ event, client }) => {
    await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts || event.ts,
        text: answer(event.text.replace(/<@[A-Z0-9]+>/g, '')),
    });
});

app.command('/values', async ({ command, ack }) => {
    await ack({ response_type: 'ephemeral', text: answer(command.text || 'values') });
});

(async () => {
    await app.start();
    console.log('bolt app running');
})();

process.on('SIGTERM', async () => {
    await app.stop().catch(() => {});
    process.exit(0);
});
