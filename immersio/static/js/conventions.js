// « Dates et horaires » of the convention form: show only the way of typing the hours
// that is chosen (the same hours every day, or day by day). Without JavaScript both stay
// visible and the radio button decides.
document.addEventListener("DOMContentLoaded", () => {
  const radios = document.querySelectorAll('input[name="mode"]');
  const sections = document.querySelectorAll("[data-schedule-mode]");
  if (!radios.length || !sections.length) {
    return;
  }
  const update = () => {
    const chosen = document.querySelector('input[name="mode"]:checked');
    sections.forEach((section) => {
      section.hidden = Boolean(chosen) && section.dataset.scheduleMode !== chosen.value;
    });
  };
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
});
