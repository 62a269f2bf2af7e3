// Character counters: a text field that may hold N characters (data-max-chars, set by
// ita_portal.forms.PortalForm) shows how many it holds once it is near the limit — from 80% of a
// long field (100 characters or more), only past the limit of a short one — and says so plainly
// past the limit. Counted in code points, as the server counts them.
document.querySelectorAll("[data-max-chars]").forEach((field) => {
  const limit = Number(field.dataset.maxChars);
  const counter = document.createElement("div");
  counter.className = "form-text text-end char-counter";
  counter.setAttribute("aria-live", "polite");
  field.insertAdjacentElement("afterend", counter);
  const update = () => {
    const used = [...field.value].length;
    const over = used - limit;
    counter.textContent = `${used.toLocaleString()}/${limit.toLocaleString()} ตัวอักษร` +
      (over > 0 ? ` · เกิน ${over.toLocaleString()} ตัวอักษร กรุณาย่อให้สั้นลง` : "");
    counter.hidden = over <= 0 && used < limit * (limit >= 100 ? 0.8 : 1);
    counter.classList.toggle("text-danger", over > 0);
    counter.classList.toggle("fw-bold", over > 0);
  };
  field.addEventListener("input", update);
  update();
});

// A background job's page follows its job (ita_portal/templates/ita_portal/job_detail.html): it
// asks the job's state (data-follow: a few bytes of JSON) after one second, then less and less
// often, at most every five seconds, so a hundred people waiting for PDFs are not a hundred
// requests every two seconds; only when the state changed does it read the page again and put
// the new card in place. A change of status is said once by the role="status" line. A failed
// read is tried again at the next beat.
const readJobPage = async (card) => {
  const response = await fetch(window.location.href, { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) return card;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector("[data-job-card]");
  if (!fresh) return card;
  const placed = document.importNode(fresh, true);
  card.replaceWith(placed);
  const said = document.getElementById("job-announce");
  const status = page.getElementById("job-announce");
  if (said && status && said.textContent !== status.textContent) said.textContent = status.textContent;
  const rest = page.querySelector("[data-job-items]");
  const items = document.querySelector("[data-job-items]");
  if (rest && items) items.replaceWith(document.importNode(rest, true));
  else if (rest) document.getElementById("job").after(document.importNode(rest, true));
  return placed;
};

const followJob = (card, delay) => {
  if (!card || !card.dataset.follow) return;
  window.setTimeout(async () => {
    let next = card;
    try {
      const response = await fetch(card.dataset.follow, { cache: "no-store", credentials: "same-origin" });
      if (response.ok) {
        const { state } = await response.json();
        if (state !== card.dataset.state) next = await readJobPage(card);
      }
    } catch (error) {
      // the server restarting, a network blip: the next beat reads again
    }
    followJob(next, Math.min(delay * 1.4, 5000));
  }, delay);
};
followJob(document.querySelector("[data-job-card][data-follow]"), 1000);

// A table wider or taller than its box scrolls inside it: the box takes the keyboard's focus, so
// it can be scrolled without a mouse (WCAG 2.1.1).
document.querySelectorAll(".table-responsive, .table-scroll").forEach((box) => {
  if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) box.tabIndex = 0;
});

// A field that applies only to one choice of another field of its form
// (data-shown-when="status=cancelled": the other field's name, without the form's prefix) is shown
// only while that choice is made, or while it holds text; its wrapper (crispy's div_<id>) hides
// with it. Without JavaScript every field shows.
document.querySelectorAll("[data-shown-when]").forEach((field) => {
  const [name, wanted] = field.dataset.shownWhen.split("=");
  const prefix = field.name.slice(0, field.name.length - field.name.replace(/^.*-/, "").length);
  const control = field.form && field.form.elements.namedItem(prefix + name);
  const wrapper = document.getElementById(`div_${field.id}`) || field;
  if (!control) return;
  const update = () => { wrapper.hidden = control.value !== wanted && !field.value.trim(); };
  control.addEventListener("change", update);
  update();
});

// File inputs in the portal's Thai (the browser would say "Choose File / No file chosen" in its
// own language): the input stays the real control — labelled by its field's label, focusable,
// covering the box — with a Thai button and the chosen files' names drawn beside it.
document.querySelectorAll('input[type="file"]').forEach((input) => {
  const box = document.createElement("div");
  box.className = "thai-file" + (input.classList.contains("is-invalid") ? " is-invalid" : "");
  input.parentNode.insertBefore(box, input);
  const button = document.createElement("span");
  button.className = "btn btn-outline-primary btn-sm";
  button.textContent = input.multiple ? "เลือกไฟล์ (เลือกได้หลายไฟล์)" : "เลือกไฟล์";
  const chosen = document.createElement("span");
  chosen.className = "thai-file-chosen";
  for (const part of [button, chosen]) part.setAttribute("aria-hidden", "true");
  box.append(input, button, chosen);
  const show = () => {
    const names = [...input.files].map((file) => file.name);
    chosen.textContent = names.length ? names.join(", ") : "ยังไม่ได้เลือกไฟล์";
  };
  input.addEventListener("change", show);
  show();
});

// In a table whose column header (or, stacked on a phone, each cell's data-label) already names a
// field, that field's own label is left to screen readers: no "ผู้รับผิดชอบ / ผู้รับผิดชอบ". A label
// that says something else (a second field in the cell) stays in sight.
document.querySelectorAll(".table-stack td[data-label] label").forEach((label) => {
  const named = label.closest("td[data-label]").dataset.label.trim();
  if (label.textContent.replace("*", "").trim() === named) label.classList.add("visually-hidden");
});

// The OIT register's groups (one per sub-indicator): its heading's button folds and unfolds its
// rows; a group whose items are all ready starts folded, unless one of its rows shows an error.
// Folded rows are still in the form and saved with it. Without JavaScript every row shows.
document.querySelectorAll("tr.register-group").forEach((heading) => {
  const rows = [...document.querySelectorAll(`tr[data-group="${heading.dataset.group}"]:not(.register-group)`)];
  const button = heading.querySelector(".group-toggle");
  const fold = (folded) => {
    rows.forEach((row) => { row.hidden = folded; });
    button.setAttribute("aria-expanded", String(!folded));
  };
  button.addEventListener("click", () => fold(button.getAttribute("aria-expanded") === "true"));
  const troubled = rows.some((row) => row.querySelector(".is-invalid"));
  fold(heading.dataset.allReady === "1" && !troubled);
});
