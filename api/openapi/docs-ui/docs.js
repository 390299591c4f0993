// The /docs page's script: fetches /openapi.json and renders it — operations grouped by tag, their
// parameters, bodies and responses with schemas and examples, the component schemas, and a "try it"
// form per operation that sends the request with the API key typed at the top. Built with DOM calls
// only (no innerHTML), so nothing in the document can inject markup. The key stays in this page's
// memory: it is never stored.
(function () {
  'use strict';
  let apiKey = '';
  let spec = null;

  /** el('tag', { attr: value }, ...children): children are nodes or strings (text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** A paragraph of the description's text, with `backticked` spans as code. */
  function prose(text, attrs) {
    return el(
      'p',
      attrs || {},
      text
        .split(/(`[^`]+`)/)
        .map((part) => (/^`[^`]+`$/.test(part) ? el('code', {}, part.slice(1, -1)) : part)),
    );
  }

  const slug = (s) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
  const opAnchor = (op) => `op-${slug(op.operationId)}`;

  /** Resolves a local $ref ('#/components/…') in the spec. */
  function deref(obj) {
    let current = obj;
    for (let i = 0; current && current.$ref && i < 10; i++) {
      current = current.$ref
        .slice(2)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((o, key) => (o ? o[key] : undefined), spec);
    }
    return current || {};
  }

  /** Pretty JSON in which every "$ref" to a component schema is a link to it. */
  function jsonBlock(value) {
    const pre = el('pre', { tabindex: '0' });
    const text = JSON.stringify(value, null, 2) || '';
    const refPattern = /"#\/components\/schemas\/([^"]+)"/g;
    let last = 0;
    for (let m = refPattern.exec(text); m; m = refPattern.exec(text)) {
      pre.append(text.slice(last, m.index));
      pre.append(el('a', { href: `#schema-${slug(m[1])}` }, m[0]));
      last = m.index + m[0].length;
    }
    pre.append(text.slice(last));
    return pre;
  }

  function parametersTable(parameters) {
    if (!parameters.length) return null;
    return el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'name'),
          el('th', {}, 'in'),
          el('th', {}, 'required'),
          el('th', {}, 'schema'),
          el('th', {}, 'description'),
        ),
      ),
      el(
        'tbody',
        {},
        parameters.map((p) =>
          el(
            'tr',
            {},
            el('td', { class: 'path' }, p.name),
            el('td', {}, p.in),
            el('td', {}, p.required ? 'yes' : ''),
            el('td', {}, el('code', {}, JSON.stringify(p.schema || {}))),
            el('td', {}, p.description || ''),
          ),
        ),
      ),
    );
  }

  function responsesBlock(responses) {
    return Object.entries(responses).map(([status, raw]) => {
      const r = deref(raw);
      const content = Object.entries(r.content || {});
      return el(
        'details',
        {},
        el('summary', {}, el('strong', {}, status), ' ', prose(r.description || '', { class: 'inline' })),
        content.map(([type, media]) => [
          el('h4', {}, type),
          media.schema ? jsonBlock(media.schema) : null,
          media.example !== undefined ? [el('h4', {}, 'Example'), jsonBlock(media.example)] : null,
        ]),
      );
    });
  }

  function tryForm(path, method, op, parameters) {
    const inputs = parameters.map((p) => {
      const id = `${opAnchor(op)}-${p.in}-${slug(p.name)}`;
      const example =
        p.example !== undefined
          ? String(p.example)
          : p.schema && p.schema.default !== undefined
            ? String(p.schema.default)
            : '';
      return { p, id, input: el('input', { id, type: 'text', placeholder: example }) };
    });
    const bodyMedia =
      op.requestBody && deref(op.requestBody).content && deref(op.requestBody).content['application/json'];
    const bodyId = `${opAnchor(op)}-body`;
    const body = bodyMedia
      ? el(
          'textarea',
          { id: bodyId, spellcheck: 'false' },
          JSON.stringify(bodyMedia.example !== undefined ? bodyMedia.example : {}, null, 2),
        )
      : null;
    const result = el('div', { 'aria-live': 'polite' });

    async function send(event) {
      event.preventDefault();
      let url = path;
      const query = new URLSearchParams();
      const headers = {};
      for (const { p, input } of inputs) {
        const value = input.value;
        if (value === '') continue;
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
        else if (p.in === 'query') query.append(p.name, value);
        else if (p.in === 'header') headers[p.name] = value;
      }
      if (/\{[^}]+\}/.test(url)) {
        result.replaceChildren(el('p', { class: 'status-err' }, 'Fill in every path parameter.'));
        return;
      }
      if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
      const init = { method: method.toUpperCase(), headers };
      if (body) {
        headers['Content-Type'] = 'application/json';
        init.body = body.value;
      }
      const qs = query.toString();
      result.replaceChildren(el('p', { class: 'muted' }, 'Sending…'));
      try {
        const started = performance.now();
        const response = await fetch(qs ? `${url}?${qs}` : url, init);
        const ms = Math.round(performance.now() - started);
        const text = await response.text();
        let shown = text;
        try {
          shown = JSON.stringify(JSON.parse(text), null, 2);
        } catch (_) {
          /* not JSON: show as is */
        }
        result.replaceChildren(
          el(
            'p',
            {},
            el(
              'span',
              { class: response.ok ? 'status-ok' : 'status-err' },
              `${response.status} ${response.statusText}`,
            ),
            ` · ${ms} ms · X-Request-Id ${response.headers.get('X-Request-Id') || '—'}`,
          ),
          el('pre', { tabindex: '0' }, shown),
        );
      } catch (err) {
        result.replaceChildren(el('p', { class: 'status-err' }, `Request failed: ${err}`));
      }
    }

    return el(
      'form',
      { class: 'try', onsubmit: send },
      el(
        'fieldset',
        {},
        el('legend', {}, 'Try it'),
        inputs.map(({ p, id, input }) => [
          el('label', { for: id }, `${p.name} (${p.in}${p.required ? ', required' : ''})`),
          input,
        ]),
        body ? [el('label', { for: bodyId }, 'Body (application/json)'), body] : null,
        el('p', {}, el('button', { type: 'submit' }, `Send ${method.toUpperCase()} ${path}`)),
        result,
      ),
    );
  }

  function operationBlock(path, method, op) {
    const parameters = (op.parameters || []).map(deref);
    const requestBody = op.requestBody ? deref(op.requestBody) : null;
    return el(
      'details',
      { class: 'op', id: opAnchor(op) },
      el(
        'summary',
        {},
        el('span', { class: `method m-${method}` }, method.toUpperCase()),
        el('span', { class: 'path' }, path),
        el('span', { class: 'muted' }, op.summary || ''),
      ),
      el(
        'div',
        { class: 'op-body' },
        (op.description || '').split('\n\n').map((para) => prose(para)),
        parameters.length ? [el('h3', {}, 'Parameters'), parametersTable(parameters)] : null,
        requestBody
          ? [
              el('h3', {}, 'Request body'),
              Object.entries(requestBody.content || {}).map(([type, media]) => [
                el('h4', {}, type),
                jsonBlock(media.schema),
                media.example !== undefined ? [el('h4', {}, 'Example'), jsonBlock(media.example)] : null,
              ]),
            ]
          : null,
        el('h3', {}, 'Responses'),
        responsesBlock(op.responses || {}),
        tryForm(path, method, op, parameters),
      ),
    );
  }

  function render() {
    document.title = spec.info.title;
    document.getElementById('title').textContent = `${spec.info.title} ${spec.info.version}`;
    const byTag = new Map((spec.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const name = (op.tags && op.tags[0]) || 'Other';
        if (!byTag.has(name)) byTag.set(name, { tag: { name }, ops: [] });
        byTag.get(name).ops.push({ path, method, op });
      }
    }
    const nav = document.getElementById('nav');
    const main = document.getElementById('main');
    nav.replaceChildren();
    main.replaceChildren(
      el(
        'section',
        {},
        (spec.info.description || '').split('\n\n').map((p) => prose(p)),
      ),
    );
    for (const { tag, ops } of byTag.values()) {
      if (!ops.length) continue;
      nav.append(el('h2', {}, tag.name));
      for (const { path, method, op } of ops) {
        nav.append(
          el('a', { href: `#${opAnchor(op)}`, title: op.summary || '' }, `${method.toUpperCase()} ${path}`),
        );
      }
      main.append(
        el(
          'section',
          { class: 'tag' },
          el('h2', { id: `tag-${slug(tag.name)}` }, tag.name),
          tag.description ? el('p', { class: 'muted' }, tag.description) : null,
          ops.map(({ path, method, op }) => operationBlock(path, method, op)),
        ),
      );
    }
    const schemas = Object.entries((spec.components && spec.components.schemas) || {});
    nav.append(el('h2', {}, 'Schemas'));
    main.append(
      el(
        'section',
        { class: 'tag' },
        el('h2', { id: 'schemas' }, 'Schemas'),
        schemas.map(([name, schema]) =>
          el(
            'details',
            { class: 'op', id: `schema-${slug(name)}` },
            el('summary', {}, el('span', { class: 'path' }, name)),
            el('div', { class: 'op-body' }, jsonBlock(schema)),
          ),
        ),
      ),
    );
    for (const [name] of schemas) nav.append(el('a', { href: `#schema-${slug(name)}` }, name));
    openFromHash();
  }

  /** Following a link to an operation or schema opens it. */
  function openFromHash() {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') {
      target.open = true;
      target.querySelector('summary').focus();
    }
  }

  document.getElementById('api-key').addEventListener('input', (event) => {
    apiKey = event.target.value.trim();
    document.getElementById('key-state').textContent = apiKey
      ? 'set (sent as Authorization: Bearer)'
      : 'not set: only public endpoints will answer';
  });
  document.getElementById('key-form').addEventListener('submit', (event) => event.preventDefault());
  window.addEventListener('hashchange', openFromHash);

  fetch('/openapi.json')
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((json) => {
      spec = json;
      render();
    })
    .catch((err) => {
      document
        .getElementById('main')
        .replaceChildren(el('p', { class: 'status-err' }, `Could not load /openapi.json: ${err.message}`));
    });
})();
