"""The leader dashboard (领导驾驶舱): selectors over the daily snapshots, and its spreadsheet."""
