"""What proposals put on handling units' home pages."""
