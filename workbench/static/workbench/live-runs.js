// Live run progress on the admin's run lists (sync runs, forecast runs, proposal runs, import jobs): rows update
// from ws/runs/ without a reload. Without JavaScript or a WebSocket the list is as before (refresh to update).
(function () {
  "use strict";
  const script = document.currentScript;
  const kind = script && script.dataset.kind;
  if (!kind || !("WebSocket" in window)) return;

  function rowFor(id) {
    const rows = document.querySelectorAll("#result_list tbody tr");
    for (const row of rows) {
      const box = row.querySelector("input.action-select");
      if (box && box.value === String(id)) return row;
      const link = row.querySelector("th a, td a");
      if (link && new RegExp("/" + id + "/change/").test(link.getAttribute("href") || "")) return row;
    }
    return null;
  }

  function setCell(row, names, text) {
    for (const name of names) {
      const cell = row.querySelector("td.field-" + name + ", th.field-" + name);
      if (cell) { cell.textContent = text; return; }
    }
  }

  function update(message) {
    if (message.type !== "run" || message.kind !== kind) return;
    const row = rowFor(message.id);
    if (!row) return;
    row.dataset.live = "1";
    const progress = message.stage ? message.stage + (message.text ? ": " + message.text : "") : message.text;
    setCell(row, ["progress", "progress_display"], kind === "import" && message.percent != null
      ? message.percent + "%" : progress || "—");
    setCell(row, ["status", "status_badge"], message.status_label);
  }

  function connect(delay) {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + "/ws/runs/");
    socket.addEventListener("message", (event) => {
      try { update(JSON.parse(event.data)); } catch (e) { /* not ours */ }
    });
    socket.addEventListener("open", () => { document.body.dataset.liveRuns = "connected"; });
    socket.addEventListener("close", (event) => {
      document.body.dataset.liveRuns = "closed";
      if (event.code < 4000) setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    });
  }
  connect(1000);
})();
