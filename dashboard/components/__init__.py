"""Layout pieces: controls, KPI cards, chart cards with their source footer, the page."""
