"""What the notebooks import: one :class:`Workspace` (every view, one refresh) and the widgets' building blocks."""

from mfakit.notebook.workspace import Workspace, user_path

__all__ = ["Workspace", "user_path"]
