"""Municipal and school roadmaps (models arrive with the roadmaps issue)."""
