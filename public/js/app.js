// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary of a form in its error state, so it is read first.
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();
  // Ask for confirmation before an action that archives something.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var message = form && form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) e.preventDefault();
  });
})();
