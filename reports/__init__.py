"""Renderers of a run's results: text, JSON (and more formats as they are added)."""
