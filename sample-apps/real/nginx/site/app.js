// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
// corpus site script
document.addEventListener('DOMContentLoaded', function () {
  var items = document.querySelectorAll('li');
  for (var i = 0; i < items.length; i++) { items[i].setAttribute('data-index', String(i)); }
});
