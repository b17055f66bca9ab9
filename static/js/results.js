// Charts of a campaign page: mean by unit (bars) and the mark distribution (doughnut).
(function () {
  const source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(JSON.parse(source.textContent));
  const means = document.getElementById("means");
  if (means) {
    new Chart(means, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: "Средний результат", data: data.means, backgroundColor: "#3f6fb5" }] },
      options: { indexAxis: data.labels.length > 12 ? "y" : "x", plugins: { legend: { display: false } }, animation: false },
    });
  }
  const marks = document.getElementById("marks");
  if (marks) {
    new Chart(marks, {
      type: "doughnut",
      data: { labels: data.parts, datasets: [{ data: data.values, backgroundColor: ["#d9534f", "#f0ad4e", "#5bc0de", "#5cb85c", "#2e7d32"] }] },
      options: { animation: false },
    });
  }
})();
