"""The ``novelty`` command: a thin layer that builds a config and calls the library.

``app.py`` wires the commands (``scan.py``: scan and report; ``embed.py``: embed;
``readonly.py``: inspect and passk; ``synth.py``), ``inputs.py`` declares the input options
they share, ``options.py`` the other shared options and choices, ``errors.py`` maps known
errors to one line and an exit code.
"""

from novelty.cli.app import app, main

__all__ = ["app", "main"]
