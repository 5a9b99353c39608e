"""Helpers the test settings use (kept in the package so settings can import them)."""

import inspect
import re


class InvalidTemplateVariable(str):
    """``string_if_invalid`` that makes any unknown variable in our templates fail loudly.

    Django's own admin templates rely on missing variables being empty; those are let
    through, ours are not.
    """

    def __new__(cls):
        return super().__new__(cls, "%s")

    def __mod__(self, name):
        for frame_info in inspect.stack(context=0)[1:40]:
            context = frame_info.frame.f_locals.get("context")
            template = getattr(context, "template", None)
            origin = getattr(getattr(template, "origin", None), "name", "") or ""
            if origin:
                if "/django/contrib/" in origin or "/site-packages/" in origin:
                    return ""
                break
        raise NameError(f"Variable de gabarit inconnue : {name!r}")


SCRIPT = re.compile(rb"<script\b[^>]*\bsrc=\"([^\"]+)\"")


class ScriptsOnce:
    """Every HTML page a test renders (``config.settings.test`` adds this middleware).
    A page that loads the same script twice runs it twice: two character counters
    under each text, two handlers on each button. Such a page fails its test."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        sources = SCRIPT.findall(response.content)
        repeated = sorted({source.decode() for source in sources if sources.count(source) > 1})
        if repeated:
            raise AssertionError(f"{request.path} charge plusieurs fois : {', '.join(repeated)}")
        return response
