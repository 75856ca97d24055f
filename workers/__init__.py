"""Stage 4: the ways to run the pipeline: the CLI, the watched folder, the Ray backfill."""
