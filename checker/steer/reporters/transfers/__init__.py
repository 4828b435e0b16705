"""reporters/transfers: the formats of ``steer transfers`` (the transfer register)."""
