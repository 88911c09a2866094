"""The Qt-free core: content, rendering, search, bookmarks and cross-references.

Nothing in this package imports PySide6; a test checks it in a subprocess.
"""
