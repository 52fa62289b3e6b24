// Keeps the status badge current from the Portal's server-sent events, so a revoked
// token shows Broken without a reload. Text only: nothing is parsed as HTML.
(function () {
  "use strict";
  var badge = document.getElementById("status");
  if (!badge || !window.EventSource) {
    return;
  }
  var hotel = document.getElementById("hotel");
  var advice = document.getElementById("advice");
  var stream = new EventSource("/apps/mews/events");
  stream.addEventListener("status", function (e) {
    var s = JSON.parse(e.data);
    badge.textContent = s.label;
    badge.dataset.label = s.label;
    badge.className = "badge " + s.label.toLowerCase().replace(/ /g, "-");
    hotel.textContent = s.hotel;
    advice.textContent = s.advice;
    advice.hidden = !s.advice;
  });
})();
