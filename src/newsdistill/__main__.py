from newsdistill.cli import run

run()
