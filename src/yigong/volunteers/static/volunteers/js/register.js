/* Registration: show the date of birth and sex only for documents that do not carry them, and the
   guardian's fields only for minors. Progressive enhancement: without this script every section
   shows, and the server checks everything anyway. */
(function () {
  "use strict";
  var form = document.getElementById("registration-form");
  if (!form) { return; }
  document.documentElement.classList.add("js");

  var idType = form.querySelector("[name=id_type]");
  var idNumber = form.querySelector("[name=id_number]");
  var birth = form.querySelector("[name=birth_date]");
  var details = document.getElementById("document-details");
  var guardian = document.getElementById("guardian");
  var child = document.getElementById("guardian-child");
  var guardianAge = parseInt(form.getAttribute("data-guardian-age"), 10) || 18;
  var childAge = parseInt(form.getAttribute("data-child-age"), 10) || 14;
  var CARRY_BIRTH = ["resident_id", "hkmo_residence"];

  function carriesBirth() { return CARRY_BIRTH.indexOf(idType.value) !== -1; }

  function birthDate() {
    if (carriesBirth()) {
      var n = (idNumber.value || "").replace(/\s/g, "").toUpperCase();
      if (!/^\d{17}[\dX]$/.test(n)) { return null; }
      var d = new Date(+n.slice(6, 10), +n.slice(10, 12) - 1, +n.slice(12, 14));
      return isNaN(d.getTime()) ? null : d;
    }
    if (!birth.value) { return null; }
    var parts = birth.value.split("-");
    return parts.length === 3 ? new Date(+parts[0], +parts[1] - 1, +parts[2]) : null;
  }

  function ageOn(b, today) {
    var age = today.getFullYear() - b.getFullYear();
    if (today.getMonth() < b.getMonth() ||
        (today.getMonth() === b.getMonth() && today.getDate() < b.getDate())) { age -= 1; }
    return age;
  }

  function hasErrors(el) { return el.classList.contains("has-errors"); }

  function update() {
    details.hidden = carriesBirth() && !hasErrors(details);
    var b = birthDate();
    var age = b ? ageOn(b, new Date()) : null;
    guardian.hidden = !((age !== null && age < guardianAge) || hasErrors(guardian));
    child.hidden = !((age !== null && age < childAge) || hasErrors(child));
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
