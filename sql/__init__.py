"""The warehouse's SQL, installed as package data ``ppks.sql`` (see ppks.warehouse.schema)."""
