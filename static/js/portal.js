// Character counters: a text field that may hold N characters (data-max-chars, set by
// ita_portal.forms.PortalForm) shows how many it holds, and says so plainly past the limit.
// Counted in code points, as the server counts them.
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
    counter.classList.toggle("text-danger", over > 0);
    counter.classList.toggle("fw-bold", over > 0);
  };
  field.addEventListener("input", update);
  update();
});
