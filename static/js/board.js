// The control board: «отметить все» checks every row of the page.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("bulk-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
  });
});
