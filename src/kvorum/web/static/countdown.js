// Counts down to the assignment's expiry. The server writes the deadline and its own "now" into
// the element, so a browser whose clock is off still shows the time the server will hold it to.
(function () {
  "use strict";
  var node = document.querySelector(".kv-countdown[data-expires]");
  if (!node) { return; }
  var deadline = Date.parse(node.getAttribute("data-expires"));
  var skew = Date.parse(node.getAttribute("data-now")) - Date.now();
  var timer = null;

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var left = Math.max(0, Math.floor((deadline - (Date.now() + skew)) / 1000));
    if (left === 0) {
      node.textContent = "Time is up: this assignment has expired";
      node.classList.add("kv-late");
      if (timer !== null) { clearInterval(timer); }
      return;
    }
    var hours = Math.floor(left / 3600), minutes = Math.floor((left % 3600) / 60), seconds = left % 60;
    node.textContent = "Time left: " + (hours ? hours + ":" + two(minutes) : minutes) + ":" + two(seconds);
  }

  tick();
  timer = setInterval(tick, 1000);
})();
