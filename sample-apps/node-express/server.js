'use strict';
// minify sample: a small express app.
// /lazy require()s ./lib/report.js and reads ./data/inventory.json only when it is hit,
// so a slim image built without probing /lazy would be missing both files.
const express = require('express');

const app = express();
app.disable('x-powered-by');
app.set('etag', false);

const ITEMS = [
  { id: 1, name: 'apple', price: 3 },
  { id: 2, name: 'banana', price: 2 },
  { id: 3, name: 'cherry', price: 7 },
];

app.get('/', (req, res) => {
  res.type('html').send('<html><body><h1>node-express sample</h1>' +
    '<a href="/health">health</a> <a href="/api/items">items</a> <a href="/lazy">lazy</a></body></html>');
});

app.get('/health', (req, res) => res.type('text').send('ok\n'));

app.get('/api/items', (req, res) => res.json({ items: ITEMS, count: ITEMS.length }));

app.get('/api/items/:id', (req, res) => {
  const it = ITEMS.find((i) => String(i.id) === req.params.id);
  if (!it) return res.status(404).json({ error: 'no such item' });
  return res.json(it);
});

app.post('/echo', express.text({ type: '*/*' }), (req, res) => {
  const body = typeof req.body === 'string' ? req.body : '';
  res.json({ echo: body, length: Buffer.byteLength(body) });
});

app.get('/lazy', (req, res) => {
  const report = require('./lib/report'); // deliberately here: loaded on first hit only
  res.json(report.build());
});

app.get('/time', (req, res) => res.json({ time: Date.now() }));

app.use((req, res) => res.status(404).type('text').send('not found\n'));

const server = app.listen(8080, '0.0.0.0', () => console.log('node-express listening on 8080'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
