"""Every write of the duty app (one transaction and an audit row each)."""
