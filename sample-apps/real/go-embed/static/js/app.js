// embedsrv: mark the current page in the navigation
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('header nav a').forEach(function (a) {
    if (a.getAttribute('href') === window.location.pathname) a.classList.add('current');
  });
});
