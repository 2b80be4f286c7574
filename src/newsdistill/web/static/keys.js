// Keyboard reading on the front page: j / k move between stories, Enter or o opens one,
// ? shows the shortcuts; on story pages a citation's button pins its card. Nothing here is needed to read: without it the pages work the same.
(() => {
  "use strict";
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  let current = -1;

  function stories() {
    return Array.from(document.querySelectorAll(".stories > li.story"));
  }

  function move(step) {
    const items = stories();
    if (!items.length) return;
    if (current >= 0 && items[current]) items[current].classList.remove("current");
    current = Math.max(0, Math.min(items.length - 1, current + step));
    const item = items[current];
    item.classList.add("current");
    const link = item.querySelector("h2 a");
    if (link) link.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  function help() {
    let dialog = document.getElementById("keys-help");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "keys-help";
      dialog.setAttribute("aria-labelledby", "keys-help-title");
      const title = document.createElement("h2");
      title.id = "keys-help-title";
      title.textContent = "Keyboard shortcuts";
      const list = document.createElement("dl");
      for (const [key, what] of [["j", "next story"], ["k", "previous story"],
        ["o or Enter", "open the story"], ["/", "search"], ["?", "this help"], ["Esc", "close"]]) {
        const dt = document.createElement("dt");
        dt.textContent = key;
        const dd = document.createElement("dd");
        dd.textContent = what;
        list.append(dt, dd);
      }
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", () => dialog.close());
      dialog.append(title, list, close);
      document.body.append(dialog);
    }
    if (!dialog.open) dialog.showModal();
  }

  // A citation's button pins its card open or closed; CSS alone shows it on hover and focus.
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest(".cite-ref");
    if (!button) return;
    const open = button.getAttribute("aria-expanded") !== "true";
    for (const other of document.querySelectorAll('.cite-ref[aria-expanded="true"]')) {
      other.setAttribute("aria-expanded", "false");
    }
    button.setAttribute("aria-expanded", String(open));
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      for (const b of document.querySelectorAll('.cite-ref[aria-expanded="true"]')) b.setAttribute("aria-expanded", "false");
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (event.key === "o" && current >= 0) stories()[current]?.querySelector("h2 a")?.click();
    else if (event.key === "/") { event.preventDefault(); document.getElementById("q")?.focus(); }
    else if (event.key === "?") help();
  });
})();
