'use strict';
/* chat.test.js - the full-page web chat in headless chromium against the bot. */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

let browser, bot;

before(async () => {
    bot = new lib.Bot();
    await bot.start();
    browser = await lib.launch();
});

after(async () => {
    if (browser) await browser.close();
    if (bot) await bot.cleanup();
});

async function open(opts = {}, where = '/chat/tewv') {
    const page = await lib.newPage(browser, opts);
    await page.goto(bot.origin + where, { waitUntil: 'load' });
    await page.waitForSelector('#vb-chips .vb-chip');
    return page;
}

test('asks "what are our values?" and shows the answer with its source', async () => {
    const page = await lib.newPage(browser);
    const res = await page.goto(bot.origin + '/chat/tewv', { waitUntil: 'load' });
    /* The page runs under the strict policy, so "no CSP problem" below means something. */
    const csp = res.headers()['content-security-policy'] || '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    await page.waitForSelector('#vb-chips .vb-chip');
    const answer = await lib.ask(page, 'what are our values?');
    assert.match(answer, /Respect/);
    assert.match(answer, /Compassion/);
    assert.match(answer, /Responsibility/);
    const last = (await page.$$('#vb-log .vb-bot')).pop();
    const src = await last.$eval('.vb-src', (n) => n.textContent);
    assert.match(src, /^Source: .*Tees, Esk and Wear Valleys/);
    /* The items are a list, each value's name in bold. */
    const labels = await last.$$eval('li > strong', (ns) => ns.map((n) => n.textContent));
    assert.deepEqual(labels.slice(0, 3), ['Respect', 'Compassion', 'Responsibility']);
    /* The question is echoed and the answer sits in the live region. */
    const log = await page.$eval('#vb-log', (n) => [n.getAttribute('role'), n.getAttribute('aria-live'),
        n.querySelector('.vb-me').innerText]);
    assert.deepEqual(log.slice(0, 2), ['log', 'polite']);
    assert.match(log[2], /what are our values\?/);
    await page.screenshot({ path: lib.artifact('chat.png') });
    assert.deepEqual(lib.cspProblems(page), []);
    await page.close();
});

test('an unknown question is declined politely and suggestions become chips', async () => {
    const page = await open();
    const answer = await lib.ask(page, 'who won the cup final in 1966?');
    assert.match(answer, /don.t know|not sure|sorry/i);
    const chips = await page.$$eval('#vb-chips button', (ns) => ns.map((n) => n.textContent));
    assert.ok(chips.length >= 2, `chips: ${chips}`);
    assert.ok(chips.includes("I'm new"));
    await page.close();
});

test('text is text: markup in a question is shown as typed, never run', async () => {
    const page = await open();
    const q = '<img src=x onerror="document.title=1">what are <b>our</b> values?';
    await lib.ask(page, q);
    const got = await page.evaluate(() => ({
        me: [...document.querySelectorAll('#vb-log .vb-me p')].pop().textContent,
        elements: document.querySelectorAll('#vb-log img, #vb-log b').length,
        title: document.title,
    }));
    assert.equal(got.me, q);
    assert.equal(got.elements, 0);
    assert.match(got.title, /strategy/);
    await page.close();
});

test('every kind of block renders as its element; only https:// addresses become links', async () => {
    /* A handle on the page's socket, so that a message of any shape can be
     * delivered to the page as if the server had sent it. */
    const page = await lib.newPage(browser);
    await page.evaluateOnNewDocument(() => {
        const Real = window.WebSocket;
        window.vbSockets = [];
        window.WebSocket = function (url, protocols) {
            const ws = new Real(url, protocols);
            window.vbSockets.push(ws);
            return ws;
        };
        window.WebSocket.prototype = Real.prototype;
    });
    await page.goto(bot.origin + '/chat/tewv', { waitUntil: 'load' });
    await page.waitForSelector('#vb-chips .vb-chip');
    const n = await lib.countAnswers(page);
    const deliver = (msg) => page.evaluate((m) => {
        const ws = window.vbSockets[window.vbSockets.length - 1];
        ws.onmessage(new MessageEvent('message', { data: JSON.stringify(m) }));
    }, msg);
    await deliver({ type: 'reply', re: 'x1', answered: true, text: 'fallback',
        blocks: [
            { kind: 'heading', label: null, text: 'Our goals' },
            { kind: 'para', label: null, text: 'Read https://example.org/a/b?c=d). Not javascript:alert(1) nor http://example.org/x.' },
            { kind: 'item', label: 'Goal 1', text: 'Care <img src=x onerror=alert(1)>' },
            { kind: 'subitem', label: null, text: 'A timely response' },
            { kind: 'item', label: null, text: 'Goal 2' },
            { kind: 'quote', label: null, text: 'We will be a great employer' },
            { kind: 'source', label: null, text: 'Source: Our strategy.' },
        ],
        suggestions: ['Did you mean goal 2?'] });
    const got = await page.evaluate(() => {
        const m = [...document.querySelectorAll('#vb-log .vb-bot')].pop();
        const t = (sel) => [...m.querySelectorAll(sel)].map((e) => e.textContent);
        return {
            h: t('h2'), links: [...m.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.rel, a.textContent]),
            para: m.querySelector('p:not(.vb-src)').textContent, strong: t('li > strong'),
            items: t(':scope > ul > li').length, sub: t('li > ul > li'), quote: t('blockquote'),
            src: t('.vb-src'), img: m.querySelectorAll('img').length, chips: t('#vb-chips button'),
        };
    });
    assert.deepEqual(got.h, ['Our goals']);
    assert.deepEqual(got.links, [['https://example.org/a/b?c=d', 'noopener noreferrer', 'https://example.org/a/b?c=d']]);
    assert.match(got.para, /c=d\)\. Not javascript:alert\(1\) nor http:\/\/example\.org\/x\.$/);
    assert.deepEqual(got.strong, ['Goal 1']);
    assert.equal(got.items, 2);
    assert.deepEqual(got.sub, ['A timely response']);
    assert.deepEqual(got.quote, ['We will be a great employer']);
    assert.deepEqual(got.src, ['Source: Our strategy.']);
    assert.equal(got.img, 0);
    const chips = await page.$$eval('#vb-chips button', (ns) => ns.map((b) => b.textContent));
    assert.deepEqual(chips, ['Did you mean goal 2?', "I'm new"]);
    /* No blocks: the plain text; an error: its sentence, marked as one. */
    await deliver({ type: 'reply', re: 'x2', answered: false, blocks: [], text: 'Plain words.', suggestions: [] });
    await deliver({ type: 'error', code: 'busy', text: 'Sorry, I could not answer that just now.', retry_after: 5 });
    await deliver({ type: 'surprise' });
    await page.evaluate(() => window.vbSockets[window.vbSockets.length - 1].onmessage(
        new MessageEvent('message', { data: 'not json' })));
    const texts = (await lib.botTexts(page)).slice(n);
    assert.equal(texts.length, 3);
    assert.match(texts[1], /Plain words\.$/);
    assert.match(texts[2], /could not answer that just now/);
    assert.equal(await page.$$eval('#vb-log .vb-error', (ns) => ns.length), 1);
    assert.deepEqual(page.problems, []);
    await page.close();
});

test('a whole induction tour from the "I\'m new" chip', async () => {
    const page = await open();
    let n = await lib.countAnswers(page);
    const chip = await page.$$('#vb-chips button');
    const names = await page.$$eval('#vb-chips button', (ns) => ns.map((b) => b.textContent));
    await chip[names.indexOf("I'm new")].click();
    let text = await lib.nextAnswer(page, n);
    const steps = [];
    for (let i = 0; i < 20 && !/That.s the tour/i.test(text); i++) {
        const m = /Step (\d+) of (\d+)/.exec(text);
        assert.ok(m, `a tour step: ${text}`);
        steps.push([Number(m[1]), Number(m[2])]);
        n = await lib.countAnswers(page);
        const next = await page.$$eval('#vb-chips button', (ns) => ns.findIndex((b) => /^next$/i.test(b.textContent)));
        if (next >= 0) (await page.$$('#vb-chips button'))[next].click();
        else await lib.ask(page, 'next');
        text = await lib.nextAnswer(page, n);
    }
    assert.match(text, /That.s the tour/i);
    assert.ok(steps.length >= 2, `steps: ${JSON.stringify(steps)}`);
    steps.forEach(([k, of], i) => {
        assert.equal(k, i + 1);
        assert.equal(of, steps[0][1]);
    });
    await page.close();
});

test('keyboard only: Enter sends, Tab reaches the chips, Enter on a chip asks, focus is visible', async () => {
    const page = await open();
    /* The question box has focus on load. */
    assert.equal(await page.evaluate(() => document.activeElement.id), 'vb-q');
    let n = await lib.countAnswers(page);
    await page.keyboard.type('what are our values?');
    await page.keyboard.press('Enter');
    assert.match(await lib.nextAnswer(page, n), /Respect/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'vb-q');
    /* Shift+Tab backwards from the box to the "I'm new" chip, never leaving the page. */
    let found = false;
    for (let i = 0; i < 12 && !found; i++) {
        await page.keyboard.down('Shift');
        await page.keyboard.press('Tab');
        await page.keyboard.up('Shift');
        const f = await page.evaluate(() => {
            const a = document.activeElement;
            const s = getComputedStyle(a);
            return { tag: a.tagName, text: a.textContent, outline: s.outlineStyle,
                width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
        });
        assert.notEqual(f.tag, 'BODY');
        assert.ok((f.outline !== 'none' && f.width >= 2) || f.shadow !== 'none',
            `visible focus on ${f.tag} ${f.text}`);
        found = f.tag === 'BUTTON' && f.text === "I'm new";
    }
    assert.ok(found, "Shift+Tab reaches the I'm new chip");
    n = await lib.countAnswers(page);
    await page.keyboard.press('Enter');
    assert.match(await lib.nextAnswer(page, n), /Step 1 of/);
    /* Focus goes back to the question box, ready for the next question. */
    assert.equal(await page.evaluate(() => document.activeElement.id), 'vb-q');
    await page.close();
});

test('several organisations and none in the path: a picker, then answers for the one picked', async () => {
    const page = await lib.newPage(browser);
    await page.goto(bot.origin + '/chat', { waitUntil: 'load' });
    await page.waitForSelector('#vb-orgs button');
    assert.equal(await page.$eval('#vb-form', (f) => f.hidden), true);
    const names = await page.$$eval('#vb-orgs button', (ns) => ns.map((b) => b.textContent));
    const i = names.findIndex((s) => /Coventry/.test(s));
    assert.ok(i >= 0, `orgs: ${names}`);
    await page.focus(`#vb-orgs button:nth-child(${i + 1})`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.getElementById('vb-form').hidden);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'vb-q');
    const answer = await lib.ask(page, 'what are our values?');
    assert.match(answer, /Coventry/);
    await page.close();
});

test('a phone\'s width (320 px) and 200% zoom: no sideways scrolling, the box and button in view', async () => {
    for (const [width, height] of [[320, 568], [640, 400]]) {
        const page = await open({ width, height });
        await lib.ask(page, 'what are our values?');
        const m = await page.evaluate(() => {
            const r = (id) => document.getElementById(id).getBoundingClientRect().toJSON();
            return { scroll: document.documentElement.scrollWidth, q: r('vb-q'), send: r('vb-send') };
        });
        assert.ok(m.scroll <= width, `scrollWidth ${m.scroll} at ${width}`);
        assert.ok(m.q.right <= width && m.send.right <= width && m.q.width >= 100, JSON.stringify(m));
        await page.close();
    }
});

test('axe-core: no serious or critical violation, light and dark', async () => {
    for (const dark of [false, true]) {
        const page = await open({ dark });
        await lib.ask(page, 'what are our values?');
        const bad = await lib.axeSerious(page);
        assert.deepEqual(bad, [], `${dark ? 'dark' : 'light'}: ${JSON.stringify(bad, null, 1)}`);
        if (dark) await page.screenshot({ path: lib.artifact('chat-dark.png') });
        await page.close();
        /* The organisation picker too. */
        const pick = await lib.newPage(browser, { dark });
        await pick.goto(bot.origin + '/chat', { waitUntil: 'load' });
        await pick.waitForSelector('#vb-orgs button');
        const bad2 = await lib.axeSerious(pick);
        assert.deepEqual(bad2, [], `picker, ${dark ? 'dark' : 'light'}: ${JSON.stringify(bad2, null, 1)}`);
        await pick.close();
    }
});

test('follows prefers-color-scheme and prefers-reduced-motion', async () => {
    const seen = {};
    for (const [scheme, motion] of [['light', 'no-preference'], ['dark', 'reduce']]) {
        const page = await lib.newPage(browser);
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme },
            { name: 'prefers-reduced-motion', value: motion }]);
        await page.goto(bot.origin + '/chat/tewv', { waitUntil: 'load' });
        await page.waitForSelector('#vb-chips .vb-chip');
        await page.waitForSelector('#vb-log .vb-msg'); /* the greeting, after the hello */
        seen[scheme] = await page.evaluate(() => {
            const lum = (c) => c.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) / 3;
            const msg = getComputedStyle(document.querySelector('#vb-log .vb-msg'));
            return { bg: lum(getComputedStyle(document.body).backgroundColor),
                fg: lum(getComputedStyle(document.body).color),
                animation: msg.animationName, scroll: getComputedStyle(document.getElementById('vb-log')).scrollBehavior };
        });
        await page.close();
    }
    assert.ok(seen.light.bg > 200 && seen.light.fg < 80, JSON.stringify(seen.light));
    assert.ok(seen.dark.bg < 60 && seen.dark.fg > 180, JSON.stringify(seen.dark));
    assert.notEqual(seen.light.animation, 'none');
    assert.equal(seen.light.scroll, 'smooth');
    assert.equal(seen.dark.animation, 'none');
    assert.equal(seen.dark.scroll, 'auto');
});

test('the bot restarts: the page says so, reconnects by itself and answers again', async () => {
    const page = await open();
    assert.match(await lib.ask(page, 'what are our values?'), /Respect/);
    await bot.stop();
    await page.waitForFunction(() => /lost/i.test(document.getElementById('vb-status').textContent),
        { timeout: 10000 });
    /* Asked while the bot is away: sent when it is back, in the order asked. */
    const n = await lib.countAnswers(page);
    for (const q of ['what are our values?', 'what is our vision?']) {
        await page.type('#vb-q', q);
        await page.keyboard.press('Enter');
    }
    await bot.start();
    await page.waitForFunction(() => /connected again/i.test(document.getElementById('vb-status').textContent),
        { timeout: 20000 });
    await lib.nextAnswer(page, n + 1, 15000);
    const [first, second] = (await lib.botTexts(page)).slice(n);
    assert.match(first, /Respect/);
    assert.match(second, /vision/i);
    assert.doesNotMatch(second, /Respect/);
    assert.match(await lib.ask(page, 'what are our values?'), /Respect/);
    await page.close();
});

test('a server that takes the socket and drops it at once: the retries still back off', async () => {
    /* Each socket opens and is closed straight away (a proxy or an
     * overloaded bot): a socket that opened is no proof the bot is back, so
     * the waits keep growing instead of starting again at the shortest. */
    const page = await lib.newPage(browser);
    await page.evaluateOnNewDocument(() => {
        window.vbSockets = 0;
        window.WebSocket = function () {
            const ws = this;
            window.vbSockets++;
            ws.readyState = 0;
            ws.send = () => {};
            ws.close = () => {};
            setTimeout(() => {
                ws.readyState = 1;
                if (ws.onopen) ws.onopen({});
                setTimeout(() => {
                    ws.readyState = 3;
                    if (ws.onclose) ws.onclose({});
                }, 10);
            }, 10);
        };
    });
    await page.goto(bot.origin + '/chat/tewv', { waitUntil: 'load' });
    await lib.sleep(4500);
    /* Waits of 0.25-0.5, 0.5-1, 1-2, 2-4 s: five sockets at most in 4.5 s;
     * a wait that starts again at 0.25-0.5 s after every open makes ten or more. */
    const n = await page.evaluate(() => window.vbSockets);
    assert.ok(n <= 5, `${n} sockets in 4.5 s`);
    await page.close();
});

test('a question typed between the socket opening and the hello goes out once', async () => {
    const page = await lib.newPage(browser);
    await page.evaluateOnNewDocument(() => {
        window.vbAsks = [];
        window.vbOpen = false;
        window.WebSocket = function () {
            const ws = this;
            ws.readyState = 0;
            ws.send = (data) => {
                const m = JSON.parse(data);
                if (m.type === 'ask') window.vbAsks.push(m.id);
            };
            ws.close = () => {};
            setTimeout(() => {
                ws.readyState = 1;
                if (ws.onopen) ws.onopen({});
                window.vbOpen = true;
                /* the hello comes a moment later (a slow link) */
                setTimeout(() => ws.onmessage({ data: JSON.stringify(
                    { type: 'hello', org: 'tewv', name: 'Test Trust', suggestions: [] }) }), 800);
            }, 10);
        };
    });
    await page.goto(bot.origin + '/chat/tewv', { waitUntil: 'load' });
    await page.waitForFunction(() => window.vbOpen);
    await page.type('#vb-q', 'what are our values?');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.vbAsks.length > 0, { timeout: 5000 });
    await lib.sleep(1000);
    assert.deepEqual(await page.evaluate(() => window.vbAsks), ['c1']);
    await page.close();
});

test('while the bot stays away the status is said once, not at every retry', async () => {
    const page = await lib.newPage(browser);
    await page.evaluateOnNewDocument(() => {
        let first = true;
        window.WebSocket = function () {
            const ws = this;
            const opens = first;
            first = false;
            ws.readyState = 0;
            ws.send = () => {};
            ws.close = () => {};
            setTimeout(() => {
                if (opens) {
                    ws.readyState = 1;
                    if (ws.onopen) ws.onopen({});
                    ws.onmessage({ data: JSON.stringify({ type: 'hello', org: 'tewv', name: 'T' }) });
                }
                setTimeout(() => { ws.readyState = 3; if (ws.onclose) ws.onclose({}); }, opens ? 100 : 10);
            }, 10);
        };
    });
    await page.goto(bot.origin + '/chat/tewv', { waitUntil: 'load' });
    await page.waitForFunction(() => /lost/i.test(document.getElementById('vb-status').textContent),
        { timeout: 5000 });
    await page.evaluate(() => {
        window.vbSaid = 0;
        new MutationObserver(() => window.vbSaid++).observe(document.getElementById('vb-status'),
            { childList: true, characterData: true, subtree: true });
    });
    await lib.sleep(4000); /* three retries or more */
    assert.equal(await page.evaluate(() => window.vbSaid), 0);
    await page.close();
});

test('asking too fast: a polite refusal, every question accounted for, and "Ask again" later answers', async () => {
    const strict = new lib.Bot({ rateLimits: true });
    await strict.start();
    try {
        const page = await lib.newPage(browser);
        await page.goto(strict.origin + '/chat/tewv', { waitUntil: 'load' });
        await page.waitForSelector('#vb-chips .vb-chip');
        const n = await lib.countAnswers(page);
        const asked = 8;
        for (let i = 0; i < asked; i++) {
            await page.type('#vb-q', 'what are our values?');
            await page.keyboard.press('Enter');
        }
        await page.waitForFunction((k) => document.querySelectorAll('#vb-log .vb-bot').length >= k,
            { timeout: 15000 }, n + asked);
        const got = await page.evaluate(() => ({
            errors: [...document.querySelectorAll('#vb-log .vb-error')].map((e) => e.innerText),
            busy: document.getElementById('vb-log').getAttribute('aria-busy'),
        }));
        assert.ok(got.errors.length >= 1, 'at least one refusal');
        assert.match(got.errors[0], /faster than I can keep up/);
        assert.equal(await lib.countAnswers(page), n + asked);
        assert.equal(got.busy, 'false');
        /* A little later, "Ask again" on the last refusal gets its answer. */
        const again = await page.$$('#vb-log .vb-error button');
        assert.equal(again.length, got.errors.length);
        const label = await again[again.length - 1].evaluate((b) => b.getAttribute('aria-label'));
        assert.equal(label, 'Ask again: what are our values?');
        await lib.sleep(2500);
        const k = await lib.countAnswers(page);
        await again[again.length - 1].click();
        assert.match(await lib.nextAnswer(page, k), /Respect/);
        assert.equal(await page.$$eval('#vb-log .vb-me p', (ns) => ns.pop().textContent),
            'what are our values?');
        await page.close();
    } finally {
        await strict.cleanup();
    }
});

test('the assets together stay under 30 KB and use no inline script or style', () => {
    const dir = path.join(lib.ROOT, 'bot', 'adapters', 'web', 'assets');
    const size = ['chat.html', 'chat.css', 'chat.js'].reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    assert.ok(size < 30 * 1024, `${size} bytes`);
    const html = fs.readFileSync(path.join(dir, 'chat.html'), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(html, /\sstyle=|<style|\son[a-z]+=/i);
    for (const f of ['chat.js', 'widget.js']) {
        const bad = /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|setAttribute\('style'/
            .exec(fs.readFileSync(path.join(dir, f), 'utf8'));
        assert.equal(bad, null, `${f}: ${bad}`);
    }
});
