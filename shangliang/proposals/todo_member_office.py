"""What proposals put on members' and the office's home pages."""
