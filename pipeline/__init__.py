"""intake: the application — stages, engines, actors, watcher, API and CLI."""
