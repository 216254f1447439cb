"""WSGI entry point: ``app = create_app()``; nothing else."""

from webapp import create_app

app = create_app()
