"""The command line. ``main.py`` parses and dispatches; ``commands/<name>.py`` stay thin."""
