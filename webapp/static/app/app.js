// GovCounsel page behaviour. No inline scripts: the CSP forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm dangerous actions: <button data-confirm="确定要…?">
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
  // Print the page (its print stylesheet keeps the content only): <button data-print>
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", () => window.print());
  });
  // Auto-submit filter selects: <select data-autosubmit>
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
});

// Upload several documents with a progress bar each, through the JSON API.
// Without JavaScript the form posts normally to the server.
// Single-submit: the button is disabled while files are sent, and every request
// carries an Idempotency-Key, so a second click or a retry registers nothing twice.
// A file already registered is not registered again unless the user gives a reason.
(() => {
  const form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const box = document.getElementById("upload-progress");
  const button = form.querySelector("button[type=submit]");
  const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const newKey = () => (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
  const detailUrl = (id) => `${form.dataset.detailBase}${id}`;
  const post = (file, fields, token, bar) => new Promise((resolve) => {
    const data = new FormData();
    for (const [k, v] of fields) data.append(k, v);
    data.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.uploadApi);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.setRequestHeader("Idempotency-Key", newKey());
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable) bar.style.width = `${Math.round((ev.loaded / ev.total) * 100)}%`;
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      resolve({status: xhr.status, body});
    });
    xhr.addEventListener("error", () => resolve({status: 0, body: {}}));
    xhr.send(data);
  });
  const registered = (row, body) => {
    row.bar.classList.remove("bg-danger");
    row.bar.classList.add("bg-success");
    row.bar.style.width = "100%";
    row.result.className = "small gc-upload-result";
    row.result.innerHTML = `已登记：<a href="${detailUrl(Number(body.id))}">${escapeHtml(body.registration_no)}《${escapeHtml(body.title || "")}》</a>`;
  };
  const refused = (row, status, body) => {
    row.bar.classList.add("bg-danger");
    const err = body.error || {};
    const fields = err.fields ? Object.values(err.fields).join("；") : "";
    row.result.className = "small gc-upload-result text-danger";
    row.result.textContent = status === 0 ? "网络错误，上传失败"
      : `失败：${err.message || status}${fields ? "（" + fields + "）" : ""}`;
  };
  // 409: link to the registered document, or register anyway with a reason.
  const offerDuplicate = (row, err, file, fields, token) => new Promise((resolve) => {
    const existing = err.existing || {};
    row.bar.classList.add("bg-warning");
    row.result.className = "small gc-upload-result gc-duplicate";
    row.result.innerHTML = `该文件已登记为 <a href="${detailUrl(Number(existing.id))}">${escapeHtml(existing.registration_no)}《${escapeHtml(existing.title)}》</a>，未重复登记。
      <div class="input-group input-group-sm mt-1"><input class="form-control" name="dup-reason" maxlength="500" placeholder="如确需再登记一份，请填写理由" aria-label="重复登记的理由">
      <button class="btn btn-outline-secondary" type="button">仍要登记</button></div>`;
    const again = row.result.querySelector("button");
    again.addEventListener("click", async () => {
      const reason = row.result.querySelector("input").value.trim();
      again.disabled = true;
      const res = await post(file, [...fields, ["allow_duplicate", "true"], ["duplicate_reason", reason]], token, row.bar);
      if (res.status === 201) { registered(row, res.body); resolve(true); return; }
      again.disabled = false;
      const e = res.body.error || {};
      row.result.querySelector("input").classList.add("is-invalid");
      row.result.querySelector("input").title = e.fields ? Object.values(e.fields).join("；") : (e.message || "");
    });
    resolve(false);
  });
  const sendOne = async (file, fields, token) => {
    const el = document.createElement("div");
    el.className = "mb-2";
    el.innerHTML = `<div class="small">${escapeHtml(file.name)}</div><div class="progress"><div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"></div></div><div class="small gc-upload-result"></div>`;
    box.appendChild(el);
    const row = {bar: el.querySelector(".progress-bar"), result: el.querySelector(".gc-upload-result")};
    const res = await post(file, fields, token, row.bar);
    if (res.status === 201) { registered(row, res.body); return true; }
    const err = res.body.error || {};
    if (res.status === 409 && err.existing) return offerDuplicate(row, err, file, fields, token);
    refused(row, res.status, res.body);
    return false;
  };
  // Several files: a title and a type for each (defaults: the file name, the form's type).
  const perFile = document.createElement("div");
  perFile.id = "upload-per-file";
  perFile.className = "mb-3";
  box.before(perFile);
  const fileInput = form.querySelector("input[type=file]");
  const typeSelect = form.querySelector("select[name=doc_type]");
  fileInput.addEventListener("change", () => {
    perFile.innerHTML = "";
    if (fileInput.files.length < 2 || !typeSelect) return;
    perFile.innerHTML = '<div class="form-label">每份文件的标题和类型</div>';
    [...fileInput.files].forEach((file, i) => {
      const row = document.createElement("div");
      row.className = "row g-2 mb-2";
      row.dataset.fileIndex = String(i);
      const stem = file.name.replace(/\.[^.]+$/, "");
      row.innerHTML = `<div class="col-md-7"><input class="form-control form-control-sm" maxlength="200" aria-label="${escapeHtml(file.name)} 的标题" value="${escapeHtml(stem)}"></div><div class="col-md-5"></div>`;
      const select = typeSelect.cloneNode(true);
      select.removeAttribute("id");
      select.removeAttribute("name");
      select.className = "form-select form-select-sm";
      select.value = typeSelect.value;
      select.setAttribute("aria-label", `${file.name} 的文书类型`);
      row.lastElementChild.appendChild(select);
      perFile.appendChild(row);
    });
  });
  form.addEventListener("reset", () => { perFile.innerHTML = ""; });
  form.addEventListener("submit", async (ev) => {
    const input = form.querySelector("input[type=file]");
    if (!input.files.length) return;
    ev.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    box.innerHTML = "";
    const token = form.querySelector("input[name=csrf_token]").value;
    const fields = [...new FormData(form).entries()].filter(([k, v]) => k !== "file" && k !== "csrf_token" && v !== "");
    const files = [...input.files];
    const single = files.length === 1;
    let ok = 0;
    try {
      for (const [i, file] of files.entries()) {
        let f = single ? fields : fields.filter(([k]) => k !== "title");
        const own = perFile.querySelector(`[data-file-index="${i}"]`);
        if (!single && own) {
          f = f.filter(([k]) => k !== "doc_type");
          const title = own.querySelector("input").value.trim();
          if (title) f.push(["title", title]);
          f.push(["doc_type", own.querySelector("select").value]);
        }
        if (await sendOne(file, f, token)) ok += 1;
      }
    } finally {
      button.disabled = false;
    }
    if (ok === files.length) {
      form.reset();
      const done = document.createElement("a");
      done.href = form.dataset.doneUrl;
      done.className = "btn btn-success btn-sm";
      done.textContent = `全部 ${ok} 份已上传，查看文书列表`;
      box.appendChild(done);
    }
  });
})();

// Single-submit forms: once a form posts, its buttons are disabled (after the submit
// event, so the clicked button's value still goes with the form); re-enabled when
// the page is shown again from the back/forward cache.
document.addEventListener("submit", (ev) => {
  const form = ev.target;
  if (ev.defaultPrevented || form.method.toLowerCase() !== "post" || form.id === "upload-form") return;
  setTimeout(() => form.querySelectorAll("button[type=submit], button:not([type])").forEach((b) => {
    if (!b.disabled) { b.disabled = true; b.dataset.gcBusy = "1"; }
  }), 0);
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("button[data-gc-busy]").forEach((b) => { b.disabled = false; delete b.dataset.gcBusy; });
});

// Talent-pool admission: show only the member list that fits the chosen category.
// <select data-pool-category> with the lists #advisor_id and #firm_id on the same form.
document.addEventListener("DOMContentLoaded", () => {
  const category = document.querySelector("select[data-pool-category]");
  const advisor = document.getElementById("advisor_id");
  const firm = document.getElementById("firm_id");
  if (!category || !advisor || !firm) return;
  const sync = () => {
    const isFirm = category.value === "firm";
    advisor.closest(".mb-3").hidden = isFirm;
    firm.closest(".mb-3").hidden = !isFirm;
  };
  category.addEventListener("change", sync);
  sync();
});
