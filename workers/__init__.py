"""Stage 5: the ways to run the pipeline (the CLI, the watched folder, the Ray backfill), which
schedule, store and show what `disclosure.pipeline` reads."""
