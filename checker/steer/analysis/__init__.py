"""Analyses of a loaded manifest and of what it is checked against: layers above
loading and the packs, below the engine."""
