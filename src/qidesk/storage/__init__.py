"""Workbook files: engine and SQLite settings, tables, migrations, lease, backups."""
