// Forecast chart pickers: choosing a run, location or product shows it at once. A picker clears the pickers
// named in its data-resets (a new location has other products), then submits the form. Our CSP allows no
// inline handlers, so this lives here; without JavaScript the "Show" button does the same.
(function () {
  "use strict";
  document.querySelectorAll("form.chart-pickers select").forEach((select) => {
    select.addEventListener("change", () => {
      const form = select.form;
      (select.dataset.resets || "").split(" ").filter(Boolean).forEach((name) => {
        if (form.elements[name]) form.elements[name].value = "";
      });
      form.submit();
    });
  });
})();
