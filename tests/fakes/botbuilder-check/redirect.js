// redirect.js - loaded with `node -r ./redirect.js`: requests to
// login.microsoftonline.com go to the fake (FAKE_TEAMS_PORT on 127.0.0.1)
// instead, still over TLS with that name (the fake's certificate is trusted
// through NODE_EXTRA_CA_CERTS).  Nothing else changes.
'use strict';
const https = require('https');

const port = Number(process.env.FAKE_TEAMS_PORT);
const original = https.request;
https.request = function (options, ...rest) {
    if (options && typeof options === 'object' && !(options instanceof URL) &&
        options.hostname === 'login.microsoftonline.com') {
        options = { ...options, hostname: '127.0.0.1', host: '127.0.0.1', port,
                    servername: 'login.microsoftonline.com' };
    }
    return original.call(this, options, ...rest);
};
