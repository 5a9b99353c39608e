from django.views.generic import TemplateView

from . import register


class PrivacyView(TemplateView):
    """« Données personnelles »: drawn from the register (``register.processings``), whose
    durations come from the code that enforces them, so that the page cannot promise more
    than the code does."""

    template_name = "privacy/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["processings"] = [
            {"processing": processing, "retention": processing.retention()}
            for processing in register.processings()
        ]
        return context
