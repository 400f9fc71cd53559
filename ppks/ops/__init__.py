"""Running the pipeline as a service: settings in force, the scheduled Prefect deployment."""
