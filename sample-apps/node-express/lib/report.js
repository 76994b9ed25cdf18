'use strict';
// Loaded lazily by /lazy; reads its data file on demand as well.
const fs = require('fs');
const path = require('path');

function build() {
  const file = path.join(__dirname, '..', 'data', 'inventory.json');
  const inv = JSON.parse(fs.readFileSync(file, 'utf8'));
  const total = inv.stock.reduce((sum, s) => sum + s.count, 0);
  return { lazy: 'report', warehouse: inv.warehouse, total, skus: inv.stock.map((s) => s.sku).sort() };
}

module.exports = { build };
