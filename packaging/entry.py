"""The frozen program's entry point (PyInstaller runs this file as ``__main__``)."""

from diagwizard.ui.cli import run

run()
