"""What administrators load: the insurance registry import and the demo data."""
