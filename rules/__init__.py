"""The rulebooks shipped with plankoll (package data)."""
