"""Use cases the UI and the command line call; each call is one transaction."""
