// The export page: the form sent to /v1/exports as an asynchronous job, the job followed
// until it ends, then each output offered for download and the PDF's first page shown.
// Every visible string comes from the labels the server put in the page.
"use strict";
(() => {
  const labels = JSON.parse(document.getElementById("labels").textContent);
  const form = document.getElementById("export-form");
  const fileInput = document.getElementById("file");
  const imagesInput = document.getElementById("images");
  const drop = document.getElementById("drop");
  const status = document.getElementById("status");

  function headers() {
    const token = document.getElementById("token");
    return token && token.value ? { Authorization: "Bearer " + token.value } : {};
  }

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("failed", Boolean(failed));
  }

  function setFiles(input, files) {
    const list = new DataTransfer();
    for (const file of files) list.items.add(file);
    input.files = list.files;
  }

  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const files = Array.from(event.dataTransfer.files);
    const article = files.find((f) => /\.(md|markdown|zip)$/i.test(f.name));
    if (article) setFiles(fileInput, [article]);
    setFiles(imagesInput, files.filter((f) => f !== article));
  });

  function list(sectionId, items) {
    const section = document.getElementById(sectionId);
    const ul = section.querySelector("ul");
    ul.replaceChildren(...items);
    section.hidden = items.length === 0;
  }

  async function blobUrl(url) {
    const response = await fetch(url, { headers: headers() });
    if (!response.ok) throw new Error((await response.json()).error);
    return URL.createObjectURL(await response.blob());
  }

  async function follow(location) {
    for (;;) {
      const response = await fetch(location, { headers: headers() });
      const job = await response.json();
      if (!response.ok) throw new Error(job.error);
      if (job.state === "done" || job.state === "failed") return job;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function show(job, location) {
    list("warnings", job.warnings.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }));
    const links = [];
    for (const file of job.files) {
      const a = document.createElement("a");
      a.href = await blobUrl(file.url);
      a.download = file.name;
      a.textContent = file.name;
      a.dir = "auto";
      const li = document.createElement("li");
      li.append(a);
      links.push(li);
    }
    list("downloads", links);
    const preview = document.getElementById("preview");
    if (job.files.some((file) => file.name.endsWith(".pdf"))) {
      preview.querySelector("img").src = await blobUrl(location + "/preview.png");
      preview.hidden = false;
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const formats = Array.from(form.querySelectorAll("input[name=format]:checked")).map((i) => i.value);
    if (!fileInput.files.length) return say(labels.no_article, true);
    if (!formats.length) return say(labels.no_format, true);
    const body = new FormData();
    body.append("file", fileInput.files[0]);
    for (const image of imagesInput.files) body.append("images", image);
    body.append("formats", formats.join(","));
    const paper = document.getElementById("paper").value;
    if (paper) body.append("paper", paper);
    list("warnings", []);
    list("downloads", []);
    document.getElementById("preview").hidden = true;
    say(labels.working);
    try {
      const response = await fetch("/v1/exports", {
        method: "POST", body, headers: { ...headers(), Prefer: "respond-async" },
      });
      const answer = await response.json();
      if (response.status !== 202) throw new Error(answer.error);
      const location = response.headers.get("Location");
      const job = await follow(location);
      if (job.state === "failed") throw new Error(job.error);
      await show(job, location);
      say(labels.done);
    } catch (error) {
      say(labels.failed + " " + error.message, true);
    }
  });
})();
