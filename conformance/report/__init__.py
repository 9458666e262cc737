"""A run's results and its report: the document, its files, the page, the badge,
the coverage matrix."""
