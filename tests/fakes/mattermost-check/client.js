// client.js - the official Mattermost JavaScript client (@mattermost/client:
// Client4 for REST, WebSocketClient for the event stream; pinned in
// package.json) driven by check.py against tests/fakes/fake_mattermost.py,
// to check that the fake speaks the protocol the client speaks.
//
//   node client.js SERVER_URL TOKEN
//
// check.py writes one JSON command a line on stdin; every answer and every
// websocket happening is one JSON line on stdout:
//   {"op":"call","id":N,"method":"getMe","args":[...]}   a Client4 method
//       -> {"what":"result","id":N,"ok":true,"data":...} or ok:false with
//          the ClientError's status_code, server_error_id and message
//   {"op":"ws_connect","header":true|false}  WebSocketClient.initialize()
//       with the token (its authentication_challenge); header: the upgrade
//       also carries Authorization, as a cookie does in a browser
//   {"op":"ws_send","id":N,"action":"..","data":{..}}  sendMessage(), its reply
//   {"op":"ws_close"}  close()
// Websocket happenings: {"what":"event","msg":..} (every server event, after
// the client's own sequence check), "first_connect", "reconnect", "missed"
// (the client saw a new connection id), "close", "error", "log" (the
// client's console.log lines, which report a sequence mismatch).
'use strict';

const readline = require('readline');
const WebSocket = require('ws');

// WebSocketClient is written for a browser: it uses the global WebSocket
// and CloseEvent, which Node 20 lacks.  ws provides the same interface.
globalThis.WebSocket = globalThis.WebSocket || WebSocket;
globalThis.CloseEvent = globalThis.CloseEvent || class CloseEvent {
    constructor(type, init) {
        this.type = type;
        Object.assign(this, init);
    }
};

const { Client4, WebSocketClient } = require('@mattermost/client');

const [serverUrl, token] = process.argv.slice(2);

function out(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
}

// The client reports sequence mismatches and reconnects through console.log.
console.log = (...args) => out({ what: 'log', text: args.map(String).join(' ') });

const client = new Client4();
client.setUrl(serverUrl);
client.setToken(token);

let wsHeader = false;
const ws = new WebSocketClient({
    newWebSocketFn: (url) => {
        out({ what: 'ws_url', url });
        return wsHeader
            ? new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } })
            : new WebSocket(url);
    },
    minWebSocketRetryTime: 200,
    reconnectJitterRange: 100,
});
ws.addMessageListener((msg) => out({ what: 'event', msg }));
ws.addFirstConnectListener(() => out({ what: 'first_connect' }));
ws.addReconnectListener(() => out({ what: 'reconnect' }));
ws.addMissedMessageListener(() => out({ what: 'missed' }));
ws.addCloseListener((n) => out({ what: 'close', failCount: n }));
ws.addErrorListener((e) => out({ what: 'error', message: String(e && e.message) }));

async function run(cmd) {
    if (cmd.op === 'call') {
        try {
            const data = await client[cmd.method](...(cmd.args || []));
            out({ what: 'result', id: cmd.id, ok: true, data });
        } catch (e) {
            out({ what: 'result', id: cmd.id, ok: false, status_code: e.status_code,
                  server_error_id: e.server_error_id, message: e.message });
        }
    } else if (cmd.op === 'ws_connect') {
        wsHeader = Boolean(cmd.header);
        ws.initialize(client.getWebSocketUrl().replace(/^http/, 'ws'), token);
    } else if (cmd.op === 'ws_send') {
        ws.sendMessage(cmd.action, cmd.data, (msg) => out({ what: 'reply', id: cmd.id, msg }));
    } else if (cmd.op === 'ws_close') {
        ws.close();
        out({ what: 'closed' });
    } else if (cmd.op === 'quit') {
        ws.close();
        process.exit(0);
    }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
    run(JSON.parse(line)).catch((e) => out({ what: 'crash', message: String(e && e.stack) }));
});
out({ what: 'ready' });
