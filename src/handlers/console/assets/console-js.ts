/**
 * The console's only script, progressive: every page works without it (forms post, links navigate). It
 * adds live rows to the Events page — Server-Sent Events where the server streams them (`data-live="sse"`),
 * a fetch every few seconds where it cannot (`data-live="poll"`, Workers) — and reading a dropped or chosen
 * file into the Validate page's text box. Rows arrive as HTML the server rendered (and escaped), so this
 * script never builds markup from data. A string, not a module: it is inlined under the page's CSP nonce.
 */
export const CONSOLE_JS = `
(function () {
  "use strict";
  var rows = document.getElementById("event-rows");
  if (rows) {
    var status = document.getElementById("live-status");
    var max = Number(rows.getAttribute("data-max")) || 100;
    var say = function (text, state) { status.textContent = text; status.setAttribute("data-state", state); };
    var merge = function (html) {
      var t = document.createElement("template");
      t.innerHTML = html;
      var incoming = Array.prototype.slice.call(t.content.querySelectorAll("tr[id]"));
      var added = 0;
      for (var i = incoming.length - 1; i >= 0; i--) {
        var row = incoming[i], old = document.getElementById(row.id);
        if (old) { if (old.outerHTML !== row.outerHTML) old.replaceWith(row); }
        else { rows.insertBefore(row, rows.firstElementChild); added++; }
      }
      var empty = rows.querySelector("tr.empty");
      if (empty && rows.querySelector("tr[id]")) empty.remove();
      while (rows.querySelectorAll("tr[id]").length > max) rows.lastElementChild.remove();
      if (added > 0) document.getElementById("live-news").textContent = added + (added === 1 ? " new event" : " new events");
    };
    var src = rows.getAttribute("data-src");
    if (rows.getAttribute("data-live") === "sse" && window.EventSource) {
      var es = new EventSource(src);
      es.addEventListener("open", function () { say("Live: connected (Server-Sent Events).", "open"); });
      es.addEventListener("rows", function (e) { merge(e.data); });
      es.addEventListener("error", function () {
        say(es.readyState === 2 ? "Live updates stopped: reload the page (you may have been signed out)." : "Live: reconnecting…", es.readyState === 2 ? "closed" : "connecting");
      });
    } else {
      var every = Number(rows.getAttribute("data-every")) || 5000;
      var timer = setInterval(function () {
        fetch(src, { credentials: "same-origin", headers: { accept: "text/html" } }).then(function (res) {
          if (res.status === 401) { clearInterval(timer); say("Updates stopped: reload the page (you may have been signed out).", "closed"); return; }
          if (!res.ok) { say("Updates paused: the server answered " + res.status + "; retrying.", "connecting"); return; }
          return res.text().then(function (html) { merge(html); say("Updating every " + every / 1000 + " s.", "open"); });
        }, function () { say("Updates paused: the server is unreachable; retrying.", "connecting"); });
      }, every);
      say("Updating every " + every / 1000 + " s.", "open");
    }
  }
  var area = document.getElementById("source");
  var file = document.getElementById("file");
  if (area && file) {
    var kind = document.getElementById("kind"), name = document.getElementById("name"), note = document.getElementById("file-note");
    var load = function (f) {
      if (!f) return;
      var reader = new FileReader();
      reader.onload = function () {
        area.value = String(reader.result);
        if (/\\.bas$/i.test(f.name)) { kind.value = "bas"; if (!name.value) name.value = f.name.replace(/\\.bas$/i, ""); }
        else if (/\\.csv$/i.test(f.name)) kind.value = "config";
        file.value = "";
        note.textContent = "Loaded " + f.name + " into the text box.";
      };
      reader.readAsText(f);
    };
    file.addEventListener("change", function () { load(file.files[0]); });
    area.addEventListener("dragover", function (e) { e.preventDefault(); area.classList.add("dragover"); });
    area.addEventListener("dragleave", function () { area.classList.remove("dragover"); });
    area.addEventListener("drop", function (e) {
      e.preventDefault();
      area.classList.remove("dragover");
      load(e.dataTransfer && e.dataTransfer.files[0]);
    });
  }
})();
`;
