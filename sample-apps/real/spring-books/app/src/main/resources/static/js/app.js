// Bookshelf: small progressive enhancements for the shelf page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[action$='/books']");
    if (!form) {
      return;
    }
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
      }
    });
    var items = document.querySelectorAll("ul.shelf li");
    document.title = document.title + " (" + items.length + ")";
  });
})();
