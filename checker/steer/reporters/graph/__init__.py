"""``steer graph``: the diagram model and its formats."""
