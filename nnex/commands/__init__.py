"""One module per subcommand: ``register(subparsers)`` adds it, ``run(args, out, err)`` runs it."""
