"""The bound dossier (测评卷宗): planned from the database, rendered in parts, merged with pikepdf.

Kept free of Django imports at package level: ``reports.services.dossier.renderer`` runs in child
processes without settings.
"""
