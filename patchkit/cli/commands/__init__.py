"""One module per command: NAME, HELP, DESCRIPTION, add_arguments(parser), run(args) -> int."""
