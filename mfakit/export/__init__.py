"""Exports of the status table and plan: CSV, Markdown, HTML, XLSX and JSON with the same columns."""

from mfakit.export.columns import COLUMNS, HEADERS, records, to_frame
from mfakit.export.writers import FORMATS, export_rows, format_from_path

__all__ = ["COLUMNS", "FORMATS", "HEADERS", "export_rows", "format_from_path", "records", "to_frame"]
