"""Entities, enums and value rules: stdlib only, no Qt, no database."""
