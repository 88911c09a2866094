"""Icons, style sheets and the .desktop file, installed as package data (``reader._resources``)."""
