// 考评标准 form: per row, offer only the scoring rules that fit the chosen indicator,
// show N only for rules that need it and "无应计事项时" only for indicators that can
// have no cases; hide the rule of a manual row. Hidden inputs are disabled (not sent).
// Without JavaScript every input shows and the server checks the combination.
document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector("[data-criteria-rows]");
  if (!table) return;
  const NEEDS_N = ["full_at", "per"];
  const NO_CASES = ["ratio", "number"];
  const show = (el, on) => {
    el.hidden = !on;
    el.querySelectorAll("input, select").forEach((input) => { input.disabled = !on; });
    if (el.matches("input, select")) el.disabled = !on;
  };
  const update = (row) => {
    const method = row.querySelector("[data-method]").value;
    const option = row.querySelector("[data-indicator]").selectedOptions[0];
    const kind = option && option.dataset.kind ? option.dataset.kind : "";
    const rule = row.querySelector("[data-rule-kind]");
    const computed = method === "computed" && kind !== "";
    const fitting = [];
    rule.querySelectorAll("option[data-fits]").forEach((o) => {
      const fits = o.dataset.fits.split(" ").includes(kind);
      o.hidden = !fits;
      o.disabled = !fits;
      if (fits) fitting.push(o);
    });
    const chosen = rule.selectedOptions[0];
    if (computed && (!chosen || !chosen.value || chosen.disabled)) {
      rule.value = fitting.length ? fitting[0].value : "";
    }
    show(rule, computed);
    show(row.querySelector("[data-rule-n]"), computed && NEEDS_N.includes(rule.value));
    show(row.querySelector("[data-rule-none]"), computed && NO_CASES.includes(kind));
  };
  table.querySelectorAll("tr[data-row]").forEach((row) => {
    row.querySelectorAll("[data-method], [data-indicator], [data-rule-kind]").forEach((el) => {
      el.addEventListener("change", () => update(row));
    });
    update(row);
  });
});
