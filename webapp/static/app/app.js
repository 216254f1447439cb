// GovCounsel page behaviour. No inline scripts: the CSP forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm dangerous actions: <button data-confirm="确定要…?">
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
  // Auto-submit filter selects: <select data-autosubmit>
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
});

// Upload several documents with a progress bar each, through the JSON API.
// Without JavaScript the form posts normally to the server.
(() => {
  const form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const box = document.getElementById("upload-progress");
  const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const sendOne = (file, fields, token) => new Promise((resolve) => {
    const row = document.createElement("div");
    row.className = "mb-2";
    row.innerHTML = `<div class="small">${escapeHtml(file.name)}</div><div class="progress"><div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"></div></div><div class="small gc-upload-result"></div>`;
    box.appendChild(row);
    const bar = row.querySelector(".progress-bar");
    const result = row.querySelector(".gc-upload-result");
    const data = new FormData();
    for (const [k, v] of fields) data.append(k, v);
    data.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.uploadApi);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable) bar.style.width = `${Math.round((ev.loaded / ev.total) * 100)}%`;
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 201) {
        bar.classList.add("bg-success");
        bar.style.width = "100%";
        result.textContent = `已登记：${body.registration_no}`;
        resolve(true);
      } else {
        bar.classList.add("bg-danger");
        const err = body.error || {};
        const fields = err.fields ? Object.values(err.fields).join("；") : "";
        result.textContent = `失败：${err.message || xhr.status}${fields ? "（" + fields + "）" : ""}`;
        result.classList.add("text-danger");
        resolve(false);
      }
    });
    xhr.addEventListener("error", () => { result.textContent = "网络错误，上传失败"; resolve(false); });
    xhr.send(data);
  });
  form.addEventListener("submit", async (ev) => {
    const input = form.querySelector("input[type=file]");
    if (!input.files.length) return;
    ev.preventDefault();
    box.innerHTML = "";
    const token = form.querySelector("input[name=csrf_token]").value;
    const fields = [...new FormData(form).entries()].filter(([k, v]) => k !== "file" && k !== "csrf_token" && v !== "");
    const single = input.files.length === 1;
    let ok = 0;
    for (const file of input.files) {
      const f = single ? fields : fields.filter(([k]) => k !== "title");
      if (await sendOne(file, f, token)) ok += 1;
    }
    if (ok === input.files.length) {
      const done = document.createElement("a");
      done.href = form.dataset.doneUrl;
      done.className = "btn btn-success btn-sm";
      done.textContent = `全部 ${ok} 份已上传，查看文书列表`;
      box.appendChild(done);
    }
  });
})();

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
