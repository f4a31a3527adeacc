"""Form pieces shared by the apps' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; each is checked by content when it is attached."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {
            "accept": "image/*",
            "capture": "environment",
            "multiple": True,
            # Large camera pictures are made smaller in the browser before the upload.
            "data-shrink": True,
        }
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(**kwargs)

    max_files = 10

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Send at most %(count)s photos at once.") % {"count": self.max_files}
            )
        return [super(PhotosField, self).clean(item, initial) for item in files]
