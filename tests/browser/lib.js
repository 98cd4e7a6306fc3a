'use strict';
/* lib.js - what the browser tests share: Debian's chromium driven headless
 * by puppeteer-core, the bot under test (the real binary, $VALUESBOT_BIN,
 * serving the web chat because no chat platform is configured), a host page
 * on another port for the widget, and axe-core run inside a page. */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'build', 'browser');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

function sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
}

/* Resolves once GET @url answers 200, polling; rejects after @ms. */
async function waitHttp(url, ms, proc) {
    const end = Date.now() + ms;
    for (;;) {
        if (proc && proc.exitCode !== null)
            throw new Error(`server exited with status ${proc.exitCode}`);
        const ok = await new Promise((resolve) => {
            http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); })
                .on('error', () => resolve(false));
        });
        if (ok) return;
        if (Date.now() > end) throw new Error(`no answer from ${url}`);
        await sleep(100);
    }
}

/* The bot serving the web chat on 127.0.0.1:@port, stopped by PID.
 * @opts.frameOrigins: origins allowed to embed the page (the widget's host);
 * @opts.rateLimits: keep the limits set for people (default: raised). */
class Bot {
    constructor(opts = {}) {
        this.opts = opts;
        this.port = 0;
        this.proc = null;
        this.log = '';
    }

    get origin() {
        return `http://127.0.0.1:${this.port}`;
    }

    async start() {
        if (!this.port) this.port = await freePort();
        const origins = this.opts.frameOrigins || [];
        const env = { ...process.env };
        if (!this.dir) this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-browser-'));
        const conf = path.join(this.dir, 'valuesbot.json');
        /* Both shipped KBs (tewv, cwpt), so /chat asks which organisation. */
        const c = {
            default_org: 'tewv',
            kb_path: path.join(ROOT, 'knowledge'),
            db_path: path.join(this.dir, 'valuesbot.db'),
            http: { listen: `127.0.0.1:${this.port}` },
        };
        /* The tests ask at machine speed, a tour's ten steps in a second or two:
         * well past the limits set for people (those have their own tests). */
        c.web = this.opts.rateLimits ? {} : {
            rate_per_connection: { burst: 1000, per_minute: 60000 },
            rate_per_address: { burst: 1000, per_minute: 60000 } };
        if (origins.length) c.web.origins = origins;
        fs.writeFileSync(conf, JSON.stringify(c));
        const cmd = path.resolve(ROOT, process.env.VALUESBOT_BIN || 'build/valuesbot');
        for (const k of ['SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN_FILE',
            'SLACK_BOT_TOKEN_FILE', 'MATTERMOST_URL', 'MATTERMOST_TOKEN', 'MATTERMOST_TOKEN_FILE',
            'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'VALUESBOT_HTTP', 'VALUESBOT_ORG',
            'VALUESBOT_KB', 'VALUESBOT_DB'])
            delete env[k];
        this.proc = spawn(cmd, ['run', '--config', conf], { cwd: ROOT, env,
            stdio: ['ignore', 'pipe', 'pipe'] });
        const keep = (d) => { this.log = (this.log + d).slice(-20000); };
        this.proc.stdout.on('data', keep);
        this.proc.stderr.on('data', keep);
        try {
            await waitHttp(`${this.origin}/chat/chat.js`, 15000, this.proc);
        } catch (e) {
            await this.stop().catch(() => {});
            throw new Error(`${e.message}\n${this.log}`);
        }
    }

    /* SIGTERM, and the bot must exit 0 (so ASan and UBSan findings, which
     * make it exit otherwise, fail the test); throws with its log if not. */
    async stop() {
        const p = this.proc;
        this.proc = null;
        if (!p) return;
        const done = p.exitCode !== null || p.signalCode !== null ? Promise.resolve()
            : new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        const t = setTimeout(() => p.kill('SIGKILL'), 10000);
        await done;
        clearTimeout(t);
        if (p.exitCode !== 0)
            throw new Error(`valuesbot exited with ${p.exitCode ?? p.signalCode}\n${this.log}`);
    }

    async cleanup() {
        try {
            await this.stop();
        } finally {
            if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
        }
    }
}

/* A static intranet page on its own port (another origin) that embeds the
 * widget of the bot at the origin given to setBot(); its own CSP is strict. */
async function hostPage(org) {
    const port = await freePort();
    let bot = '';
    const server = http.createServer((req, res) => {
        res.writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Content-Security-Policy': `default-src 'self'; script-src ${bot}; ` +
                `style-src 'self'; frame-src ${bot}`,
        });
        res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Intranet home</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><h1>Intranet home</h1></header><main><p>News and links for staff.</p>
<p><a href="#policies">Policies</a></p>${req.url.includes('named') ? '<div id="valuesbotWidget"></div>' : ''}</main>
<script src="${bot}/chat/widget.js" data-org="${org}" defer></script>
</body></html>`);
    });
    await new Promise((r) => server.listen(port, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${port}/`, origin: `http://127.0.0.1:${port}`,
        setBot: (origin) => { bot = origin; },
        close: () => new Promise((r) => server.close(r)) };
}

async function launch() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-chromium-'));
    const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        userDataDir: dataDir,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage'],
    });
    const close = browser.close.bind(browser);
    browser.close = async () => {
        await close();
        fs.rmSync(dataDir, { recursive: true, force: true });
    };
    return browser;
}

/* A new page that records console errors and CSP violations in page.problems. */
async function newPage(browser, { width = 800, height = 700, dark = false } = {}) {
    const page = await browser.newPage();
    page.problems = [];
    page.on('console', (m) => {
        if (m.type() === 'error') page.problems.push(m.text());
    });
    page.on('pageerror', (e) => page.problems.push(String(e)));
    await page.setViewport({ width, height });
    await page.emulateMediaFeatures([
        { name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' },
        { name: 'prefers-reduced-motion', value: 'reduce' },
    ]);
    return page;
}

/* The text of every bot message in @frame's log. */
function botTexts(frame) {
    return frame.$$eval('#vb-log .vb-bot', (ns) => ns.map((n) => n.innerText));
}

/* Waits until the log holds more than @n bot messages; returns the last one's text. */
async function nextAnswer(frame, n, timeout = 10000) {
    await frame.waitForFunction((k) => document.querySelectorAll('#vb-log .vb-bot').length > k,
        { timeout }, n);
    const all = await botTexts(frame);
    return all[all.length - 1];
}

async function countAnswers(frame) {
    return (await botTexts(frame)).length;
}

/* Types @text into the question box and presses Enter; returns the answer text. */
async function ask(frame, text) {
    const n = await countAnswers(frame);
    await frame.focus('#vb-q');
    await frame.type('#vb-q', text);
    await frame.$eval('#vb-q', (i) => i.ownerDocument.activeElement === i);
    const page = typeof frame.page === 'function' ? frame.page() : frame;
    await page.keyboard.press('Enter');
    return nextAnswer(frame, n);
}

/* axe-core's violations of impact serious or critical in @frame. */
async function axeSerious(frame, context) {
    await frame.evaluate(AXE);
    const res = await frame.evaluate(async (ctx) => {
        /* eslint-disable-next-line no-undef */
        const r = await axe.run(ctx || document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
    }, context || null);
    return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function artifact(name) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return path.join(ARTIFACTS, name);
}

function cspProblems(page) {
    return page.problems.filter((p) => /Content Security Policy|Refused to/i.test(p));
}

module.exports = { Bot, hostPage, launch, newPage, ask, nextAnswer, countAnswers, botTexts,
    axeSerious, artifact, cspProblems, sleep, ROOT };
