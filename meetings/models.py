"""Meetings, protocols, decisions and their execution (models arrive with the meetings issue)."""
