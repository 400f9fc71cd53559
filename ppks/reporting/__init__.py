"""Reports about a run: summaries for Prefect artifacts and the terminal."""
