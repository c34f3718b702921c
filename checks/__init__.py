"""Check kinds: one module per kind, each with `run(frames, params)` and `validate_params(params)`."""
