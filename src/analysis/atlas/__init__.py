"""The atlas: every country's snapshot figures, tables and key numbers, with offline pages."""
