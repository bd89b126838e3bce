"""Writes of the reports app. The life of a ReportRun is in ``runs``; ``pipeline`` runs one build of any kind."""
