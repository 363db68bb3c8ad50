"""Chart drawing and exports (PNG, SVG, PDF, clipboard images): Qt painting, never ui/."""
