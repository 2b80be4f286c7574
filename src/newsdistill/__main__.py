from newsdistill.cli import app

app()
