// 聘任合同 form: when the agency changes, the 甲方 inputs show what its register holds
// (used when left blank) and mark as required only what the register lacks.
// The page renders the same hints on the server, so without JavaScript it stays right
// for the agency it was rendered with.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("f-agency_id");
  const box = document.querySelector("[data-register-fields]");
  if (!select || !box) return;
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    let register = null;
    try { register = option && option.dataset.register ? JSON.parse(option.dataset.register) : null; } catch (e) { register = null; }
    box.querySelectorAll("input[name]").forEach((input) => {
      const value = register ? register[input.name] : "";
      if (!register) input.placeholder = box.dataset.hintUnknown;
      else input.placeholder = value ? box.dataset.hintKnown + value : box.dataset.hintMissing;
      const star = box.querySelector(`label[for="${input.id}"] [data-required-star]`);
      if (star) star.hidden = !register || Boolean(value);
    });
  });
});
