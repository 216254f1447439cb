// Searchable, narrowed selects (#15, UI finding 8). The selects stay native <select>s:
// without JavaScript they submit as they are, and the keyboard works as in any select.
//
// <select data-picker="输入姓名筛选">        a filter box above it hides the options whose
//                                            text does not contain what is typed; Enter
//                                            picks the first match (adds it to a multiple
//                                            choice), ↓ moves into the list; what is
//                                            chosen stays chosen and shown.
// <select data-engaged-for="f-agency_id">     options with data-engaged-by="1 5" (and their
//                                            place in the full list, data-order) are grouped
//                                            under data-label-engaged when the agency select
//                                            #f-agency_id holds one of those ids, the others
//                                            under data-label-other.
// <select data-narrow-by="f-firm_id">         options with data-firm="3" are shown only while
//                                            #f-firm_id holds 3 (options without data-firm
//                                            always); with data-narrow-fallback="f-advisor_id"
//                                            a blank firm means the firm of that select's
//                                            chosen option. A narrowed-out option is
//                                            deselected (the server refuses it anyway).
(() => {
  // Narrowing (another select's choice) removes an option: it is deselected. Filtering
  // (the typed words) only hides it, and never what is chosen: a chosen option stays
  // chosen and in sight, so typing to find a second lawyer keeps the first.
  const matches = (option) => !option.dataset.gcNarrowed && !option.dataset.gcFiltered;
  const refresh = (select) => {
    select.querySelectorAll("option").forEach((o) => {
      if (!o.value) return;
      if (o.dataset.gcNarrowed && o.selected) o.selected = false;
      o.hidden = !!o.dataset.gcNarrowed || (!!o.dataset.gcFiltered && !o.selected);
    });
    select.querySelectorAll("optgroup").forEach((g) => {
      g.hidden = ![...g.querySelectorAll("option")].some((o) => !o.hidden);
    });
  };

  const addFilter = (select) => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 gc-picker-filter";
    box.placeholder = select.dataset.picker || "";
    box.autocomplete = "off";
    box.setAttribute("aria-controls", select.id);
    const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
    box.setAttribute("aria-label", `${box.placeholder}（${label ? label.textContent.trim() : select.name}）`);
    select.before(box);
    box.addEventListener("input", () => {
      const words = box.value.trim().toLowerCase();
      select.querySelectorAll("option").forEach((o) => {
        if (!o.value) return;
        if (words && !o.textContent.toLowerCase().includes(words)) o.dataset.gcFiltered = "1";
        else delete o.dataset.gcFiltered;
      });
      refresh(select);
    });
    box.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();  // never submit the form from the filter box
        const first = [...select.querySelectorAll("option")].find(
          (o) => o.value && matches(o) && !(select.multiple && o.selected));
        if (first) {
          first.selected = true;  // adds to a multiple choice, replaces a single one
          select.dispatchEvent(new Event("change", {bubbles: true}));
        }
      } else if (ev.key === "ArrowDown") {
        ev.preventDefault();
        select.focus();
      }
    });
  };

  const regroup = (select, agencySelect) => {
    const chosen = agencySelect.value;
    const options = [...select.querySelectorAll("option")].filter((o) => o.value);
    const engaged = options.filter((o) => chosen && (o.dataset.engagedBy || "").split(" ").includes(chosen));
    select.querySelectorAll("optgroup").forEach((g) => g.remove());
    const inOrder = (a, b) => Number(a.dataset.order) - Number(b.dataset.order);  // the server's order
    if (!engaged.length) {
      options.sort(inOrder).forEach((o) => select.appendChild(o));
      return;
    }
    const group = (label, items) => {
      const g = document.createElement("optgroup");
      g.label = label;
      items.sort(inOrder).forEach((o) => g.appendChild(o));
      select.appendChild(g);
    };
    group(select.dataset.labelEngaged, engaged);
    group(select.dataset.labelOther, options.filter((o) => !engaged.includes(o)));
    refresh(select);
  };

  const narrow = (select, by, fallback) => {
    let firm = by.value;
    if (!firm && fallback && fallback.selectedOptions[0]) firm = fallback.selectedOptions[0].dataset.firm || "";
    select.querySelectorAll("option").forEach((o) => {
      if (firm && o.dataset.firm && o.dataset.firm !== firm) o.dataset.gcNarrowed = "1";
      else delete o.dataset.gcNarrowed;
    });
    refresh(select);
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("select[data-picker]").forEach(addFilter);
    document.querySelectorAll("select[data-engaged-for]").forEach((select) => {
      const agency = document.getElementById(select.dataset.engagedFor);
      if (agency) agency.addEventListener("change", () => regroup(select, agency));
    });
    document.querySelectorAll("select[data-narrow-by]").forEach((select) => {
      const by = document.getElementById(select.dataset.narrowBy);
      if (!by) return;
      const fallback = select.dataset.narrowFallback ? document.getElementById(select.dataset.narrowFallback) : null;
      const run = () => narrow(select, by, fallback);
      by.addEventListener("change", run);
      if (fallback && fallback !== select) fallback.addEventListener("change", run);
      run();
    });
  });
})();
