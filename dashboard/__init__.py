"""The bilateral trade dashboard: reads the published store, shows one reporter's trade with its partners."""
