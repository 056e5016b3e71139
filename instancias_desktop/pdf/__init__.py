"""PDF renderers (reportlab): a record in, bytes out; no database, no Qt, no file writes."""
