"""Renderers for answers that are files (images, PDFs): ``?format=`` or ``Accept`` picks them the DRF way."""

import json

from rest_framework import renderers
from rest_framework.utils import encoders


class FileRenderer(renderers.BaseRenderer):
    """Bytes pass through as the file; an error body (a dict) is answered as JSON, with the type that says so,
    never as a broken file. Subclasses set ``media_type`` and ``format``."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, (bytes, bytearray)):
            return bytes(data)
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, cls=encoders.JSONEncoder, ensure_ascii=False).encode()


class PNGRenderer(FileRenderer):
    media_type = "image/png"
    format = "png"
