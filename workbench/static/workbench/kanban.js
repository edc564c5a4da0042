// Production board: drag a card onto a column to move it. Posts to the same view as the buttons (which call the
// production service); the answer is JSON. Without JavaScript the buttons and the "Move to" form do the same.
(function () {
  "use strict";
  const board = document.getElementById("wb-board");
  if (!board || board.dataset.canMove !== "1") return;
  const note = document.getElementById("wb-board-message");
  const csrf = () => (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function say(text, ok) {
    note.textContent = text;
    note.className = ok ? "success" : "errornote";
  }

  function recount() {
    board.querySelectorAll(".wb-column").forEach((column) => {
      const count = column.querySelector(".wb-count");
      if (count) count.textContent = column.querySelectorAll(".wb-cardlet").length;
    });
  }

  function place(taskId, status) {
    const card = document.getElementById("task-" + taskId);
    const column = document.getElementById("column-" + status);
    if (card && column && card.parentElement !== column) {
      column.appendChild(card);
      // The card's buttons were for its old column: the next refresh brings the right ones.
      card.querySelectorAll(".wb-actions form").forEach((form) => {
        const hidden = form.querySelector("input[name=status][type=hidden]");
        if (hidden) form.remove();
      });
      recount();
    }
  }
  window.wbPlaceTask = place;

  async function move(taskId, status) {
    const body = new URLSearchParams({ task: taskId, status: status });
    const response = await fetch(window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() },
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { ok: false, message: "The server did not answer; refresh the page." }; }
    say(data.message || "", !!data.ok);
    if (data.ok && data.task) place(String(data.task.id), data.task.status);
  }

  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest(".wb-cardlet");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.dataset.task);
    event.dataTransfer.effectAllowed = "move";
  });
  board.addEventListener("dragover", (event) => {
    const column = event.target.closest(".wb-column");
    if (!column) return;
    event.preventDefault();
    column.classList.add("wb-over");
  });
  board.addEventListener("dragleave", (event) => {
    const column = event.target.closest(".wb-column");
    if (column) column.classList.remove("wb-over");
  });
  board.addEventListener("drop", (event) => {
    const column = event.target.closest(".wb-column");
    if (!column) return;
    event.preventDefault();
    column.classList.remove("wb-over");
    const taskId = event.dataTransfer.getData("text/plain");
    const card = document.getElementById("task-" + taskId);
    if (card && card.parentElement !== column) move(taskId, column.dataset.status);
  });

  // Changes made by others arrive over the WebSocket (ws/kanban/); without it, a refresh shows them.
  if ("WebSocket" in window) {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let socket;
    try { socket = new WebSocket(scheme + window.location.host + "/ws/kanban/"); } catch (e) { return; }
    socket.addEventListener("open", () => {
      const live = document.getElementById("wb-live");
      if (live) { live.textContent = live.dataset.liveText || "Live"; live.dataset.connected = "1"; }
    });
    socket.addEventListener("message", (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "task" && data.task) place(String(data.task.id), data.task.status);
    });
  }
})();
