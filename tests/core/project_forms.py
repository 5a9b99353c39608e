"""Every form class and every model of the project, for the tests that check a whole class
of fields at once (dates, phones, long texts, messages)."""

import importlib
import pkgutil

from django import forms
from django.apps import apps

import immersio


def import_project_modules() -> None:
    for module in pkgutil.walk_packages(immersio.__path__, "immersio."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> list[type[forms.BaseForm]]:
    import_project_modules()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("immersio.") and hasattr(cls, "base_fields")
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def project_models():
    return [model for model in apps.get_models() if model.__module__.startswith("immersio.")]


def form_id(cls) -> str:
    return f"{cls.__module__.removeprefix('immersio.')}.{cls.__qualname__}"
