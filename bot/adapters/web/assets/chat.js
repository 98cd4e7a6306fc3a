/* chat.js - the valuesbot web chat page (issue 18).  No framework, and no
 * HTML parsing of text: every node is made with createElement and textContent.
 * Protocol: JSON text frames on /chat/ws?org=<id> (hello, ask, reply, error,
 * org).  The org comes from the path /chat/<org>; ?embed=1 hides the page
 * header (the widget's iframe). */
(function () {
    'use strict';

    var ORG_RE = /^[A-Za-z0-9_-]{1,64}$/;
    var URL_RE = /https:\/\/[^\s<>"]+/g;
    var MAX_QUEUE = 5;

    var script = document.currentScript;
    var base = new URL('.', script && script.src ? script.src : location.href);
    var params = new URLSearchParams(location.search);
    var embed = params.get('embed') === '1';

    var el = {};
    var ws = null;
    var org = orgFromPath();
    var orgName = '';
    var helloSuggestions = [];
    var seq = 0;
    var pending = {};   /* id -> {text}: asked, no reply yet (in the order asked) */
    var greeted = false;
    var everOpen = false;
    var attempt = 0;
    var timer = 0;
    var openedAt = 0;
    var ready = false;      /* this socket's hello came: asks go out now */
    var STEADY_MS = 10000;  /* a socket open this long was a real connection */

    function orgFromPath() {
        var m = /\/chat\/([^/]+)\/?$/.exec(location.pathname);
        if (!m) return null;
        var id = decodeURIComponent(m[1]);
        return ORG_RE.test(id) && !/\.(js|css|html)$/.test(id) ? id : null;
    }

    function make(tag, cls, text) {
        var n = document.createElement(tag);
        if (cls) n.className = cls;
        if (text != null) n.textContent = text;
        return n;
    }

    /* Appends @text to @parent, https:// addresses as links. */
    function addText(parent, text) {
        var last = 0, m;
        text = String(text == null ? '' : text);
        URL_RE.lastIndex = 0;
        while ((m = URL_RE.exec(text)) !== null) {
            var url = m[0].replace(/[.,;:!?)\]'"]+$/, '');
            var u = null;
            try { u = new URL(url); } catch (e) { u = null; }
            if (!u || u.protocol !== 'https:') continue;
            parent.appendChild(document.createTextNode(text.slice(last, m.index)));
            var a = make('a', null, url);
            a.href = u.href;
            a.target = '_blank';
            a.rel = 'noopener noreferrer';
            parent.appendChild(a);
            last = m.index + url.length;
            URL_RE.lastIndex = last;
        }
        parent.appendChild(document.createTextNode(text.slice(last)));
    }

    function labelled(parent, b) {
        if (b.label) {
            parent.appendChild(make('strong', null, b.label));
            if (b.text) parent.appendChild(document.createTextNode(': '));
        }
        addText(parent, b.text);
        return parent;
    }

    /* The blocks of a reply as DOM nodes: items gather in one list,
     * subitems in a list under the last item. */
    function renderBlocks(box, blocks) {
        var list = null, item = null, sub = null;
        blocks.forEach(function (b) {
            if (!b || typeof b !== 'object') return;
            var kind = b.kind;
            if (kind === 'item' || (kind === 'subitem' && !item)) {
                if (!list) list = box.appendChild(make('ul'));
                item = list.appendChild(labelled(make('li'), b));
                sub = null;
                return;
            }
            if (kind === 'subitem') {
                if (!sub) sub = item.appendChild(make('ul'));
                sub.appendChild(labelled(make('li'), b));
                return;
            }
            list = item = sub = null;
            if (kind === 'heading') {
                box.appendChild(labelled(make('h2', 'vb-h'), b));
            } else if (kind === 'quote') {
                box.appendChild(make('blockquote')).appendChild(labelled(make('p'), b));
            } else if (kind === 'source') {
                box.appendChild(labelled(make('p', 'vb-src'), b));
            } else {
                box.appendChild(labelled(make('p'), b));
            }
        });
    }

    function scrollDown() {
        el.log.scrollTop = el.log.scrollHeight;
    }

    function addMessage(who, cls) {
        var m = make('div', 'vb-msg vb-' + who + (cls ? ' ' + cls : ''));
        m.appendChild(make('span', 'vb-sr', who === 'me' ? 'You said: ' : 'Bot: '));
        el.log.appendChild(m);
        return m;
    }

    function botSays(text, cls) {
        var m = addMessage('bot', cls);
        m.appendChild(make('p', null, text));
        scrollDown();
        return m;
    }

    /* A live region: said again whenever its text is set, so only a change. */
    function setStatus(text) {
        if (el.status.textContent !== text) el.status.textContent = text;
    }

    function chip(text, onclick) {
        var b = make('button', 'vb-chip', text);
        b.type = 'button';
        b.addEventListener('click', onclick);
        return b;
    }

    function setChips(list) {
        var had = el.chips.contains(document.activeElement);
        el.chips.textContent = '';
        var seen = {};
        (list || []).concat(["I'm new"]).forEach(function (s) {
            if (typeof s !== 'string' || !s || seen[s.toLowerCase()]) return;
            seen[s.toLowerCase()] = true;
            el.chips.appendChild(chip(s, function () { ask(s); }));
        });
        if (had) el.q.focus();
    }

    function send(obj) {
        if (!ws || ws.readyState !== 1) return false;
        ws.send(JSON.stringify(obj));
        return true;
    }

    function ask(text) {
        text = String(text).trim();
        if (!text) return;
        var id = 'c' + (++seq);
        var me = addMessage('me');
        me.appendChild(make('p', null, text));
        pending[id] = { text: text };
        scrollDown();
        /* Before this socket's hello, the question waits: the hello sends
         * every one still waiting, and it would go twice. */
        if (!(ready && send({ type: 'ask', id: id, text: text }))) {
            if (Object.keys(pending).length > MAX_QUEUE) {
                delete pending[id];
                botSays('Still reconnecting; please wait a moment before asking more.', 'vb-error');
                return;
            }
            if (!ws || ws.readyState !== 1)
                setStatus('Not connected yet: your question will be sent as soon as the connection is back.');
        }
        busy();
    }

    function busy() {
        el.log.setAttribute('aria-busy', Object.keys(pending).length ? 'true' : 'false');
        el.main.classList.toggle('vb-waiting', Object.keys(pending).length > 0);
    }

    function showPicker(orgs) {
        el.orgs.textContent = '';
        orgs.forEach(function (o) {
            if (!o || typeof o.id !== 'string') return;
            el.orgs.appendChild(chip(o.name || o.id, function () {
                org = o.id;
                if (!embed && window.history && history.replaceState)
                    history.replaceState(null, '', new URL(encodeURIComponent(org), base).href);
                orgName = o.name || o.id;
                send({ type: 'org', org: o.id });
                el.pick.hidden = true;
                el.form.hidden = false;
                el.chips.hidden = false;
                setOrgName(orgName);
                greet();
                el.q.focus();
            }));
        });
        el.pick.hidden = false;
        el.form.hidden = true;
        el.chips.hidden = true;
        var first = el.orgs.querySelector('button');
        if (first && !embed) first.focus();
    }

    function setOrgName(name) {
        el.org.textContent = name || '';
        document.title = name ? 'Ask about our strategy - ' + name : 'Ask about our strategy';
    }

    function greet() {
        if (greeted) return;
        greeted = true;
        botSays('Hello! Ask me about ' + (orgName || 'our') +
                (orgName ? '\u2019s' : '') +
                ' strategy: our mission, vision, goals and values. New here? Choose \u201cI\u2019m new\u201d for a short tour.');
        setChips(helloSuggestions);
    }

    function onHello(msg) {
        ready = true;
        if (Array.isArray(msg.suggestions)) helloSuggestions = msg.suggestions;
        if (typeof msg.org === 'string' && msg.org) {
            org = msg.org;
            orgName = typeof msg.name === 'string' ? msg.name : org;
            setOrgName(orgName);
            el.pick.hidden = true;
            el.form.hidden = false;
            el.chips.hidden = false;
            greet();
        } else if (Array.isArray(msg.orgs) && msg.orgs.length) {
            showPicker(msg.orgs);
        }
        /* Every question not answered yet (in flight when the bot went
         * away, or typed while it was), in the order asked. */
        Object.keys(pending).forEach(function (id) {
            send({ type: 'ask', id: id, text: pending[id].text });
        });
    }

    function onReply(msg) {
        if (msg.re != null) delete pending[msg.re];
        busy();
        var m = addMessage('bot', msg.answered === false ? 'vb-unanswered' : null);
        if (Array.isArray(msg.blocks) && msg.blocks.length) {
            renderBlocks(m, msg.blocks);
        } else {
            addText(m.appendChild(make('p')), msg.text);
        }
        scrollDown();
        setChips(Array.isArray(msg.suggestions) && msg.suggestions.length ?
                 msg.suggestions : helloSuggestions);
    }

    function onError(msg) {
        var text = typeof msg.text === 'string' && msg.text ? msg.text :
            'Sorry, something went wrong. Please try again.';
        /* The server answers each ask, in order, with a reply or an error:
         * an error is about the oldest question still waiting, which the
         * message offers to ask again. */
        var id = msg.re != null ? msg.re : Object.keys(pending)[0];
        var q = id != null && pending[id] ? pending[id].text : null;
        if (q != null) delete pending[id];
        busy();
        var m = botSays(text, 'vb-error');
        if (q != null) {
            var again = m.appendChild(chip('Ask again', function () {
                m.removeChild(again);
                ask(q);
                el.q.focus();
            }));
            again.setAttribute('aria-label', 'Ask again: ' + q);
        }
    }

    function onMessage(ev) {
        var msg;
        try { msg = JSON.parse(ev.data); } catch (e) { return; }
        if (!msg || typeof msg !== 'object') return;
        if (msg.type === 'hello') onHello(msg);
        else if (msg.type === 'reply') onReply(msg);
        else if (msg.type === 'error') onError(msg);
    }

    function connect() {
        timer = 0;
        ready = false;
        var u = new URL('ws', base);
        u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
        if (org) u.searchParams.set('org', org);
        try {
            ws = new WebSocket(u.href);
        } catch (e) {
            return retry();
        }
        ws.onopen = function () {
            setStatus(attempt > 1 ? 'Connected again. You can carry on.' : '');
            openedAt = Date.now();
            everOpen = true;
            el.main.classList.remove('vb-offline');
        };
        ws.onmessage = onMessage;
        ws.onclose = function () {
            /* Only a socket that stayed open starts the waits again: one
             * taken and dropped at once (a proxy, a bot refusing load) keeps
             * them growing, or every page would retry twice a second. */
            if (openedAt && Date.now() - openedAt >= STEADY_MS) attempt = 0;
            openedAt = 0;
            ready = false;
            ws = null;
            retry();
        };
    }

    /* Jittered exponential backoff, 0.25 s to 15 s.  The first try after a
     * drop is quiet (the server closes idle sockets): only when it fails too
     * is the person told. */
    function retry() {
        if (timer) return;
        var delay = Math.min(15000, 500 * Math.pow(2, attempt));
        delay = delay / 2 + Math.random() * delay / 2;
        attempt++;
        if (attempt > 1 || !everOpen) {
            el.main.classList.add('vb-offline');
            setStatus(everOpen ?
                'The connection to the bot was lost; trying again. Your questions will be answered when it is back.' :
                'Connecting to the bot\u2026');
        }
        timer = setTimeout(connect, delay);
    }

    function start() {
        ['log', 'status', 'chips', 'form', 'q', 'pick', 'orgs', 'org', 'main'].forEach(function (k) {
            el[k] = document.getElementById('vb-' + k);
        });
        if (embed) document.documentElement.classList.add('vb-embed');
        el.form.addEventListener('submit', function (ev) {
            ev.preventDefault();
            var text = el.q.value;
            if (!text.trim()) return;
            el.q.value = '';
            ask(text);
        });
        document.addEventListener('keydown', function (ev) {
            /* In the widget, Escape asks the host page to close the panel. */
            if (ev.key === 'Escape' && embed && window.parent !== window)
                window.parent.postMessage({ valuesbot: 'close' }, '*');
        });
        window.addEventListener('message', function (ev) {
            /* The widget moves focus into the panel when it opens. */
            if (embed && ev.source === window.parent && ev.data && ev.data.valuesbot === 'focus')
                (el.form.hidden ? el.orgs.querySelector('button') || el.q : el.q).focus();
        });
        setChips([]);
        connect();
        if (!embed) el.q.focus();
    }

    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
})();
