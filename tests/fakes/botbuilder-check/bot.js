// bot.js - the official Bot Framework SDK for JavaScript (botbuilder 4.23.3,
// CloudAdapter) run as a bot against tests/fakes/fake_teams.py, to check
// that the fake speaks the protocol the SDK speaks.  Started by check.py:
//
//   node bot.js PORT APP_ID APP_PASSWORD TENANT FAKE_BASE_URL
//
// Inbound, everything is the SDK's own: CloudAdapter.process() validates
// each POST's JWT against the fake's OpenID metadata and JWKS (issuer,
// audience, expiry, serviceurl claim, endorsements) and runs the turn.
// Outbound, the SDK's ConnectorClient posts the replies to the fake's
// connector.  Only the token request is ours (see FakeCredentials): MSAL,
// which the SDK uses for it, accepts only https authorities it can discover
// on login.microsoftonline.com, which this machine cannot reach.
'use strict';

const http = require('http');
const { CloudAdapter, ActivityHandler, TurnContext } = require('botbuilder');
const {
    AuthenticationConfiguration,
    BotFrameworkAuthenticationFactory,
    PasswordServiceClientCredentialFactory,
    ServiceClientCredentialsFactory,
} = require('botframework-connector');

// With MSAL=1 (check.py --msal) the SDK gets its token itself, through MSAL,
// from https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token, which
// redirect.js (loaded with node -r) sends to the fake over TLS.
const useMsal = process.env.MSAL === '1';

const [port, appId, appPassword, tenant, fakeBase] = process.argv.slice(2);
const tokenUrl = `${fakeBase}/${tenant}/oauth2/v2.0/token`;

// The client-credentials grant exactly as MSAL sends it (form body).
class FakeCredentials {
    constructor() {
        this.token = null;
    }
    async getToken() {
        if (this.token) return this.token;
        const body = new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: appId,
            client_secret: appPassword,
            scope: 'https://api.botframework.com/.default',
        }).toString();
        const res = await fetch(tokenUrl, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body,
        });
        const j = await res.json();
        if (!res.ok) throw new Error(`token: ${res.status} ${JSON.stringify(j)}`);
        this.token = j.access_token;
        return this.token;
    }
    async signRequest(webResource) {
        webResource.headers.set('Authorization', `Bearer ${await this.getToken()}`);
        return webResource;
    }
}

class FakeCredentialsFactory extends ServiceClientCredentialsFactory {
    async isValidAppId(id) {
        return id === appId;
    }
    async isAuthenticationDisabled() {
        return false;
    }
    async createCredentials() {
        return new FakeCredentials();
    }
}

const auth = BotFrameworkAuthenticationFactory.create(
    '',
    true,
    useMsal ? 'https://login.microsoftonline.com/botframework.com' : tokenUrl,
    'https://api.botframework.com',
    'https://api.botframework.com',
    'https://api.botframework.com',
    `${fakeBase}/v1/.well-known/openidconfiguration`,
    `${fakeBase}/v1/.well-known/openidconfiguration`,
    'urn:botframework:azure',
    useMsal
        ? new PasswordServiceClientCredentialFactory(appId, appPassword, tenant)
        : new FakeCredentialsFactory(),
    new AuthenticationConfiguration(),
);
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
    console.error(`turn error: ${error.message}`);
};

class Bot extends ActivityHandler {
    constructor() {
        super();
        this.onMessage(async (context, next) => {
            const text = TurnContext.removeRecipientMention(context.activity);
            await context.sendActivity(`echo: ${text}`);
            await next();
        });
        this.onMembersAdded(async (context, next) => {
            for (const m of context.activity.membersAdded) {
                if (m.id === context.activity.recipient.id) await context.sendActivity('welcome');
            }
            await next();
        });
    }
}
const bot = new Bot();

// CloudAdapter.process() wants express-like request and response objects.
http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', async () => {
        let body;
        try {
            body = JSON.parse(data);
        } catch (e) {
            res.writeHead(400).end();
            return;
        }
        const request = { body, headers: req.headers, method: req.method };
        let status = 200;
        const response = {
            socket: res.socket,
            status(code) {
                status = code;
                return this;
            },
            header(name, value) {
                res.setHeader(name, value);
                return this;
            },
            send(b) {
                res.statusCode = status;
                res.end(b === undefined ? undefined : typeof b === 'string' ? b : JSON.stringify(b));
                return this;
            },
            end() {
                if (!res.writableEnded) {
                    res.statusCode = status;
                    res.end();
                }
                return this;
            },
        };
        try {
            await adapter.process(request, response, (context) => bot.run(context));
        } catch (e) {
            console.error(`process: ${e.message}`);
            if (!res.writableEnded) res.writeHead(500).end();
        }
    });
}).listen(Number(port), '127.0.0.1', () => console.log(`listening ${port}`));
