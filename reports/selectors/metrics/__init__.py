"""Daily figures (MetricSnapshot) for the leader dashboard and the periodic summaries."""
