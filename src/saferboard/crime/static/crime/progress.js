// Keeps an import's progress page current without reloading it: asks the server for
// the job's status every two seconds, updates the stage and the progress bar (read out
// politely by screen readers), and shows the outcome page once the import has ended.
const panel = document.querySelector("[data-import-status-url]");
if (panel) {
  const url = panel.getAttribute("data-import-status-url");
  const stage = document.getElementById("import-stage");
  const bar = document.getElementById("import-progress");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const job = await response.json();
        if (job.finished) {
          window.location.reload();
          return;
        }
        stage.textContent = `${job.status}: ${job.stage}`;
        bar.value = job.percent;
        bar.textContent = `${job.percent}%`;
      }
    } catch (error) {
      // A missed poll is retried at the next tick; the refresh link still works.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
}
