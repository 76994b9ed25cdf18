'use strict';
// A small tea shop on Express 4: EJS pages with partials, a JSON API, static files,
// a urlencoded contact form, and a charset converter that loads iconv-lite on first use.
const path = require('path');
const express = require('express');
const items = require('./data/items.json');

const app = express();
const port = Number(process.env.PORT || 3000);

app.set('views', path.join(__dirname, 'views'));
app.set('view engine', 'ejs');
app.disable('x-powered-by');

app.locals.shopName = 'Corpus Tea House';
const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
app.locals.price = (cents) => euro.format(cents / 100);

app.use('/static', express.static(path.join(__dirname, 'public'), { maxAge: '1h' }));
const form = express.urlencoded({ extended: false, limit: '16kb' });

app.get('/', (req, res) => {
  res.render('index', { title: 'Welcome', count: items.length, featured: items.slice(0, 2) });
});

app.get('/items', (req, res) => {
  res.render('items', { title: 'All teas', items });
});

app.get('/items/:id', (req, res, next) => {
  const item = items.find((i) => String(i.id) === req.params.id);
  if (!item) return next();
  res.render('item', { title: item.name, item });
});

app.get('/api/items', (req, res) => {
  let list = items;
  if (req.query.origin) list = list.filter((i) => i.origin.toLowerCase() === String(req.query.origin).toLowerCase());
  res.json({ count: list.length, items: list });
});

app.get('/api/items/:id', (req, res) => {
  const item = items.find((i) => String(i.id) === req.params.id);
  if (!item) return res.status(404).json({ error: 'no such item', id: req.params.id });
  res.json({ ...item, priceText: euro.format(item.cents / 100) });
});

app.get('/api/health', (req, res) => {
  res.json({ status: 'ok', node: process.version, uid: process.getuid() });
});

app.get('/contact', (req, res) => {
  res.render('contact', { title: 'Contact' });
});

app.post('/contact', form, (req, res) => {
  const name = (req.body.name || '').trim();
  const message = (req.body.message || '').trim();
  if (!name || !message) {
    return res.status(400).render('contact', { title: 'Contact', error: 'Please give your name and a message.' });
  }
  res.render('thanks', { title: 'Thank you', name, message });
});

// Charset conversion. iconv-lite is required here, on the first request, not at start;
// it then loads its encoding tables (e.g. Shift_JIS) as they are first asked for.
app.post('/convert/encode', express.text({ type: '*/*', limit: '64kb' }), (req, res) => {
  const iconv = require('iconv-lite');
  const to = String(req.query.to || '');
  if (!iconv.encodingExists(to)) return res.status(400).json({ error: 'unknown encoding', encoding: to });
  const bytes = iconv.encode(req.body, to);
  res.type('application/octet-stream').set('X-Encoding', to).send(bytes);
});

app.post('/convert/decode', express.raw({ type: '*/*', limit: '64kb' }), (req, res) => {
  const iconv = require('iconv-lite');
  const from = String(req.query.from || '');
  if (!iconv.encodingExists(from)) return res.status(400).json({ error: 'unknown encoding', encoding: from });
  const text = iconv.decode(req.body, from);
  res.json({ encoding: from, bytes: req.body.length, text, length: [...text].length });
});

app.use((req, res) => {
  res.status(404).render('404', { title: 'Not found', url: req.originalUrl });
});

app.listen(port, '0.0.0.0', () => {
  console.log(`tea shop listening on :${port} (node ${process.version})`);
});
