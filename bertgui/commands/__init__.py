"""One module per ``bertgui`` subcommand; ``bertgui.cli.COMMAND_MODULES`` lists them."""
